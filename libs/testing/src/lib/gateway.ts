import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { nginxMainConfig } from './nginx-config';
import { ROOT } from './service-instance';

const NGINX = '/usr/sbin/nginx';
const TEMPLATE = 'deploy/gateway/gateway.conf.template';
/** the rate limits the local stack renders the gateway with (production's are in rate-limits.env) */
export const LOCAL_RATE_LIMITS = join(ROOT, 'deploy/gateway/rate-limits.local.env');

/** a gateway rate-limit file (deploy/gateway/rate-limits*.env): NAME=value lines, # comments */
export function readRateLimits(file: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const m = line.match(/^\s*([A-Z][A-Z0-9_]*)=(.*?)\s*$/);
    if (m) out[m[1]] = m[2];
  }
  return out;
}

export type ServicePorts = Record<'user' | 'product' | 'order' | 'analytics' | 'notification', number>;

/**
 * the platform's own gateway (deploy/gateway's template, rendered with other ports), so the suite
 * drives the routes and the 503 pages users get, next to a running stack without touching it
 */
export class Gateway {
  private constructor(
    readonly port: number,
    private readonly child: ChildProcess,
  ) {}

  /**
   * `services`: each service's port by its short name (order for order-service). `limits` replaces some
   * of the local stack's rate limits, e.g. { GATEWAY_LOGIN_BURST: '2' }. `root`: the checkout whose
   * template it renders (another copy, with a service added, say)
   */
  static async start(
    port: number,
    services: ServicePorts | Record<string, number>,
    dir: string,
    limits: Record<string, string> = {},
    root = ROOT,
  ): Promise<Gateway> {
    if (!existsSync(NGINX)) throw new Error(`${NGINX} is missing: the native stack installs it (npm run stack -- install gateway)`);
    mkdirSync(join(dir, 'tmp'), { recursive: true });
    // as root, nginx workers run as nobody: they must be able to write their temp files
    chmodSync(join(dir, 'tmp'), 0o777);
    const vars: Record<string, string> = {
      SERVICES_HOST: '127.0.0.1',
      GATEWAY_PORT: `127.0.0.1:${port}`,
      ...Object.fromEntries(
        Object.entries(services).map(([name, p]) => [`${name.toUpperCase().replace(/-/g, '_')}_SERVICE_PORT`, String(p)]),
      ),
      ...readRateLimits(LOCAL_RATE_LIMITS),
      ...limits,
    };
    // like the nginx image's envsubst: only these names, so $nginx_variables stay
    const routes = readFileSync(join(root, TEMPLATE), 'utf8').replace(/\$\{([A-Z_]+)\}/g, (m, name: string) => vars[name] ?? m);
    const missing = [...routes.matchAll(/\$\{([A-Z_]+)\}/g)].map((m) => m[1]);
    if (missing.length > 0) throw new Error(`the gateway template needs values for ${[...new Set(missing)].join(', ')}`);
    writeFileSync(join(dir, 'gateway.conf'), routes);
    writeFileSync(join(dir, 'nginx.conf'), nginxMainConfig(dir, `  include ${dir}/gateway.conf;`));
    const child = spawn(NGINX, ['-c', join(dir, 'nginx.conf'), '-e', 'stderr'], { stdio: ['ignore', 'ignore', 'inherit'] });
    const gateway = new Gateway(port, child);
    await gateway.waitListening();
    return gateway;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  private async waitListening(): Promise<void> {
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      if (this.child.exitCode !== null) throw new Error(`the gateway's nginx exited (code ${this.child.exitCode})`);
      try {
        await fetch(`${this.url}/healthz`, { signal: AbortSignal.timeout(1_000) }).then((r) => r.arrayBuffer());
        return;
      } catch {
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    throw new Error(`the gateway is not listening on ${this.port}`);
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((r) => this.child.once('exit', r));
    this.child.kill('SIGQUIT');
    await exited;
  }
}
