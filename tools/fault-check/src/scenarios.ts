import { killServer, SERVICES, startServer, type Platform, type ServiceName, type StackServer } from '@ecom/testing';

/** one part of the platform killed with kill -9 during the traffic, and brought back */
export interface Fault {
  readonly name: string;
  kill(platform: Platform): Promise<void>;
  heal(platform: Platform): Promise<void>;
}

const STORES: readonly StackServer[] = ['kafka', 'postgres', 'mongodb', 'cassandra', 'redis', 'elasticsearch'];

const server = (name: StackServer): Fault => ({
  name,
  kill: async () => killServer(name),
  // stack.sh up waits until the server answers again
  heal: async () => startServer(name),
});

const service = (name: ServiceName): Fault => ({
  name,
  kill: (platform) => platform.kill(name),
  heal: (platform) => platform.restart(name),
});

export const FAULTS: readonly Fault[] = [...STORES.map(server), ...SERVICES.map(service)];

/** the faults named in a comma-separated list ("all": every one), in the suite's order */
export function pickFaults(list: string): Fault[] {
  if (list.trim() === 'all') return [...FAULTS];
  const names = list
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = names.filter((n) => !FAULTS.some((f) => f.name === n));
  if (unknown.length) throw new Error(`unknown fault ${unknown.join(', ')}; known: ${FAULTS.map((f) => f.name).join(', ')}, or all`);
  return FAULTS.filter((f) => names.includes(f.name));
}
