import { mkdirSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { Gateway, type ServicePorts } from './gateway';
import { Instance, ROOT } from './service-instance';

/** a service of deploy/services.json, e.g. order-service */
export type ServiceName = string;
/** the services of deploy/services.json, the one list of them, in its order */
export const SERVICES: readonly ServiceName[] = (
  JSON.parse(readFileSync(join(ROOT, 'deploy/services.json'), 'utf8')) as { services: { name: string }[] }
).services.map((s) => s.name);

const short = (s: ServiceName) => s.replace(/-service$/, '');

// true when something accepts connections on the port
function answers(port: number): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    const done = (open: boolean) => {
      socket.destroy();
      resolve(open);
    };
    socket.setTimeout(1_000);
    socket.once('connect', () => done(true));
    socket.once('timeout', () => done(false));
    socket.once('error', () => done(false));
  });
}

/**
 * an instance whose port is taken would fail to listen, while its readiness check was answered by
 * the process holding the port (an earlier run's instance that outlived it): refuse instead
 */
async function mustBeFree(ports: readonly number[]): Promise<void> {
  const taken = (await Promise.all(ports.map(async (p) => ((await answers(p)) ? p : undefined)))).filter((p) => p !== undefined);
  if (taken.length)
    throw new Error(
      `port ${taken.join(', ')} already answers: a process left from an earlier run holds it (\`ss -ltnp | grep ${taken[0]}\` names it); stop it and run again`,
    );
}

export interface PlatformOptions {
  /** where the instances and the gateway log; default .stack/logs/faults */
  readonly logDir?: string;
  /** variables for every instance on top of the environment, e.g. LOG_LEVEL */
  readonly env?: Record<string, string>;
  /** replaces some of the gateway's local rate limits, e.g. { GATEWAY_WRITE_RATE: '10000r/s' } */
  readonly gatewayLimits?: Record<string, string>;
}

/**
 * the services from their production builds, one instance each, behind the gateway. they use
 * the run's topics and stores (the integration config's namespace, or the benchmark's), so a
 * running stack is neither disturbed nor counted. the gateway listens on basePort, the services on
 * the ports after it, in the list's order.
 */
export class Platform {
  private readonly instances = new Map<ServiceName, Instance>();
  private gateway?: Gateway;
  readonly logDir: string;

  constructor(
    private readonly basePort: number,
    private readonly options: PlatformOptions = {},
  ) {
    this.logDir = options.logDir ?? join(ROOT, '.stack/logs/faults');
    mkdirSync(this.logDir, { recursive: true });
  }

  portOf(service: ServiceName): number {
    return this.basePort + 1 + SERVICES.indexOf(service);
  }

  get url(): string {
    if (!this.gateway) throw new Error('the platform is not started');
    return this.gateway.url;
  }

  /**
   * the services not running yet (default: all of them), then the gateway if it is not up; resolves
   * with how long each service it started took from spawn to ready
   */
  async start(services: readonly ServiceName[] = SERVICES): Promise<Map<ServiceName, number>> {
    const starting = services.filter((s) => !this.instances.has(s));
    await mustBeFree(starting.map((s) => this.portOf(s)));
    for (const service of starting) this.instances.set(service, this.launch(service));
    const took = await Promise.all(starting.map((s) => this.instance(s).ready(180_000)));
    const readyAfter = new Map(starting.map((s, i) => [s, took[i]]));
    if (this.gateway) return readyAfter;
    // the gateway of @ecom/testing takes one port per service, by its short name (user for user-service)
    const ports = Object.fromEntries(SERVICES.map((s) => [short(s), this.portOf(s)])) as ServicePorts;
    this.gateway = await Gateway.start(this.basePort, ports, join(this.logDir, 'gateway'), this.options.gatewayLimits);
    return readyAfter;
  }

  /** the services with an instance on this platform */
  running(): ServiceName[] {
    return [...this.instances.keys()];
  }

  /** the running instance of a service */
  instance(service: ServiceName): Instance {
    const instance = this.instances.get(service);
    if (!instance) throw new Error(`${service} is not running on this platform`);
    return instance;
  }

  /** SIGTERM, and forgotten: start() brings it back */
  async stopService(service: ServiceName): Promise<void> {
    await this.instances.get(service)?.stop();
    this.instances.delete(service);
  }

  /** kill -9 of the service's instance */
  async kill(service: ServiceName): Promise<void> {
    await this.instances.get(service)?.kill();
  }

  /** a new instance in place of the killed one; resolves once it is ready */
  async restart(service: ServiceName): Promise<void> {
    const instance = this.launch(service);
    this.instances.set(service, instance);
    await instance.ready(180_000);
  }

  private launch(service: ServiceName): Instance {
    return Instance.start(service, this.portOf(service), this.logDir, ROOT, this.options.env);
  }

  async stop(): Promise<void> {
    await this.gateway?.stop();
    await Promise.all([...this.instances.values()].map((i) => i.stop()));
  }
}
