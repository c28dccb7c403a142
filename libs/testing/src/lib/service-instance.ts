import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { readEnv } from '@ecom/config';

export const ROOT = resolve(__dirname, '../../../..');

/**
 * the node flags the image runs every service with (deploy/node-flags.json, the CMD of deploy/Dockerfile),
 * so an instance here holds the memory it holds in its pod; none for a copy without the file
 */
export function nodeFlags(root = ROOT): string[] {
  return nodeFlagsFile(root).flags ?? [];
}

/** the environment the image sets under node (deploy/node-flags.json's env); the caller's own wins */
export function nodeFlagsEnv(root = ROOT): Record<string, string> {
  return nodeFlagsFile(root).env ?? {};
}

function nodeFlagsFile(root: string): { flags?: string[]; env?: Record<string, string> } {
  const file = join(root, 'deploy/node-flags.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { flags?: string[]; env?: Record<string, string> }) : {};
}

/** one running process of a service, from its production build (dist/apps/<service>/main.js) */
export class Instance {
  private exited: Promise<number | null>;

  private constructor(
    readonly service: string,
    readonly port: number,
    private readonly child: ChildProcess,
    private readonly log: string,
  ) {
    this.exited = new Promise((r) => child.once('exit', (code) => r(code)));
  }

  /**
   * `root`: the checkout whose build it runs (another copy, with a service added, say). `env`: variables
   * on top of the environment and the defaults here (LOG_LEVEL=warn), e.g. the benchmark's LOG_LEVEL=info
   */
  static start(service: string, port: number, logDir: string, root = ROOT, env: Record<string, string> = {}): Instance {
    const main = join(root, 'dist/apps', service, 'main.js');
    if (!existsSync(main)) throw new Error(`${main} is missing: build first (npx nx build ${service})`);
    const log = join(logDir, `${service}-${port}.log`);
    const fd = openSync(log, 'a');
    const child = spawn(process.execPath, [...nodeFlags(root), main], {
      cwd: root,
      stdio: ['ignore', fd, fd],
      env: { ...nodeFlagsEnv(root), ...readEnv(), NODE_ENV: 'development', HTTP_PORT: String(port), LOG_LEVEL: 'warn', ...env },
    });
    closeSync(fd);
    return new Instance(service, port, child, log);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** waits for GET /health/ready to answer 200 */
  async ready(timeoutMs = 90_000): Promise<number> {
    const started = Date.now();
    while (Date.now() - started < timeoutMs) {
      if (this.child.exitCode !== null)
        throw new Error(
          `${this.service}:${this.port} exited during start-up (code ${this.child.exitCode}); its log ends:\n${this.logTail()}`,
        );
      try {
        const res = await fetch(`http://127.0.0.1:${this.port}/health/ready`, { signal: AbortSignal.timeout(2_000) });
        await res.arrayBuffer();
        if (res.status === 200) return Date.now() - started;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`${this.service}:${this.port} not ready after ${timeoutMs} ms`);
  }

  private logTail(lines = 15): string {
    return existsSync(this.log) ? readFileSync(this.log, 'utf8').trimEnd().split('\n').slice(-lines).join('\n') : '(no log)';
  }

  /** kill -9: no drain, no shutdown hooks, as when a pod's node dies */
  async kill(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
    await this.exited;
  }

  /** SIGTERM, then waits for the process to exit; returns its exit code and how long the drain took */
  async stop(timeoutMs = 30_000): Promise<{ code: number | null; ms: number }> {
    const started = Date.now();
    if (this.child.exitCode === null) this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
    const code = await this.exited;
    clearTimeout(timer);
    return { code, ms: Date.now() - started };
  }
}
