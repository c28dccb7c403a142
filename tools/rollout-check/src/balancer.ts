import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { nginxMainConfig } from '@ecom/testing';

const NGINX = '/usr/sbin/nginx';

/**
 * nginx in front of a service's instances, like the gateway and the kubernetes service in front
 * of pods. the upstream set is changed with a graceful reload: old workers finish what they have.
 */
export class Balancer {
  private constructor(
    readonly port: number,
    private readonly dir: string,
    private readonly child: ChildProcess,
  ) {}

  static async start(port: number, upstreams: readonly number[], dir: string): Promise<Balancer> {
    if (!existsSync(NGINX)) throw new Error(`${NGINX} is missing: the native stack installs it (npm run stack -- install gateway)`);
    mkdirSync(join(dir, 'tmp'), { recursive: true });
    // as root, nginx workers run as nobody: they must be able to write their temp files
    chmodSync(join(dir, 'tmp'), 0o777);
    writeFileSync(join(dir, 'nginx.conf'), Balancer.config(port, upstreams, dir));
    const child = spawn(NGINX, ['-c', join(dir, 'nginx.conf'), '-e', 'stderr'], { stdio: ['ignore', 'ignore', 'inherit'] });
    const balancer = new Balancer(port, dir, child);
    await balancer.waitListening();
    return balancer;
  }

  private static config(port: number, upstreams: readonly number[], dir: string): string {
    return nginxMainConfig(
      dir,
      `  upstream service {
${upstreams.map((p) => `    server 127.0.0.1:${p};`).join('\n')}
    keepalive 32;
  }
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_pass http://service;
    }
  }`,
    );
  }

  /** points the upstream at `upstreams`; resolves once the new workers serve and the old ones are gone */
  async route(upstreams: readonly number[]): Promise<void> {
    writeFileSync(join(this.dir, 'nginx.conf'), Balancer.config(this.port, upstreams, this.dir));
    const master = Number(readFileSync(join(this.dir, 'nginx.pid'), 'utf8').trim());
    const before = this.workers(master);
    process.kill(master, 'SIGHUP');
    // the old workers finish their requests and exit; new ones only know the new upstream set
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      const now = this.workers(master);
      if (now.length > 0 && now.every((w) => !before.includes(w))) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('nginx did not finish its reload within 30 s');
  }

  private workers(master: number): number[] {
    try {
      return readFileSync(`/proc/${master}/task/${master}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
    } catch {
      return [];
    }
  }

  private async waitListening(): Promise<void> {
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      try {
        await fetch(`http://127.0.0.1:${this.port}/`, { signal: AbortSignal.timeout(1_000) }).then((r) => r.arrayBuffer());
        return;
      } catch {
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    throw new Error(`nginx is not listening on ${this.port}`);
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((r) => this.child.once('exit', r));
    this.child.kill('SIGQUIT');
    await exited;
  }
}
