import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Instance, ROOT, Gateway, type ServicePorts } from '@ecom/testing';

/** a service of deploy/services.json, e.g. order-service */
export type ServiceName = string;
/** the services of deploy/services.json, the one list of them, in its order */
export const SERVICES: readonly ServiceName[] = (
  JSON.parse(readFileSync(join(ROOT, 'deploy/services.json'), 'utf8')) as { services: { name: string }[] }
).services.map((s) => s.name);

const short = (s: ServiceName) => s.replace(/-service$/, '');

/**
 * the services from their production builds, one instance each, behind the gateway. they use
 * the test run's topics and stores (the integration config's namespace), so a running stack is
 * neither disturbed nor counted.
 */
export class Platform {
  private readonly instances = new Map<ServiceName, Instance>();
  private gateway?: Gateway;
  readonly logDir = join(ROOT, '.stack/logs/faults');

  constructor(private readonly basePort: number) {
    mkdirSync(this.logDir, { recursive: true });
  }

  portOf(service: ServiceName): number {
    return this.basePort + 1 + SERVICES.indexOf(service);
  }

  get url(): string {
    if (!this.gateway) throw new Error('the platform is not started');
    return this.gateway.url;
  }

  async start(): Promise<void> {
    for (const service of SERVICES) this.instances.set(service, Instance.start(service, this.portOf(service), this.logDir));
    await Promise.all([...this.instances.values()].map((i) => i.ready(180_000)));
    // the gateway of @ecom/testing takes one port per service, by its short name (user for user-service)
    const ports = Object.fromEntries(SERVICES.map((s) => [short(s), this.portOf(s)])) as ServicePorts;
    this.gateway = await Gateway.start(this.basePort, ports, join(this.logDir, 'gateway'));
  }

  /** kill -9 of the service's instance */
  async kill(service: ServiceName): Promise<void> {
    await this.instances.get(service)?.kill();
  }

  /** a new instance in place of the killed one; resolves once it is ready */
  async restart(service: ServiceName): Promise<void> {
    const instance = Instance.start(service, this.portOf(service), this.logDir);
    this.instances.set(service, instance);
    await instance.ready(180_000);
  }

  async stop(): Promise<void> {
    await this.gateway?.stop();
    await Promise.all([...this.instances.values()].map((i) => i.stop()));
  }
}
