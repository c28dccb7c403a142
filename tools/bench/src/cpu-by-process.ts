import { readdirSync, readFileSync } from 'node:fs';
import type { Platform } from '@ecom/testing';

// clock ticks per second of /proc/<pid>/stat's utime and stime on linux
const TICKS_PER_SECOND = 100;

// what each process of the platform is, from its command line; anything else is left out
const SERVICE = /dist\/apps\/([a-z-]+)\/main\.js/;
const KINDS: [RegExp, string][] = [
  [SERVICE, '$1'],
  [/tools\/bench\/src\/main\.ts/, 'bench (load and observers)'],
  [/tools\/bench\/src\/baselines\/([a-z-]+)\.mjs/, 'baseline $1'],
  [/org\.apache\.cassandra|cassandra/, 'cassandra'],
  [/kafka\.Kafka|kafka-server/, 'kafka'],
  [/org\.elasticsearch|elasticsearch/, 'elasticsearch'],
  [/MongoServerMain|mongo/, 'mongodb-wire server'],
  [/(^|\/)postgres[ :]/, 'postgres'],
  [/redis-server/, 'redis'],
  [/^nginx/, 'gateway (nginx)'],
];

function kindOf(cmdline: string): string | undefined {
  for (const [pattern, name] of KINDS) {
    const m = pattern.exec(cmdline);
    if (m) return name.replace('$1', m[1] ?? '');
  }
  return undefined;
}

/** the pids of the platform's own service instances: `npm start`'s services, running beside it, are not its */
export function instancePids(platform: Platform): ReadonlySet<number> {
  return new Set(platform.running().flatMap((s) => platform.instance(s).pid ?? []));
}

/** user + system cpu seconds so far of a process or a thread, from its /proc stat file */
function cpuSeconds(statFile: string): number {
  const stat = readFileSync(statFile, 'utf8');
  // the fields after the command name, which may itself hold spaces and parentheses
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

// user + system cpu seconds so far of each kind of process; processes that exit between the two reads are lost.
// a service counts only if it is one of `services`
function sample(services: ReadonlySet<number>): Map<string, number> {
  const totals = new Map<string, number>();
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
      if (SERVICE.test(cmdline) && !services.has(Number(pid))) continue;
      const kind = kindOf(cmdline);
      if (!kind) continue;
      totals.set(kind, (totals.get(kind) ?? 0) + cpuSeconds(`/proc/${pid}/stat`));
    } catch {
      // gone meanwhile
    }
  }
  return totals;
}

/**
 * cpu time each part of the platform (the servers and the instances of `services`) spent between this
 * call and the call of the returned function (linux only)
 */
export function cpuByProcess(services: ReadonlySet<number>): () => Map<string, number> {
  if (process.platform !== 'linux') return () => new Map();
  const before = sample(services);
  return () => {
    const spent = new Map<string, number>();
    for (const [kind, seconds] of sample(services)) spent.set(kind, seconds - (before.get(kind) ?? 0));
    return new Map([...spent].filter(([, s]) => s > 0).sort((a, b) => b[1] - a[1]));
  };
}

/**
 * runs `work`, adding the cpu each process spent meanwhile into `total` (several turns of one contender,
 * summed). read as `work` resolves: processes that exit afterwards (a pool's connections) still count
 */
export async function addingCpu<T>(services: ReadonlySet<number>, total: Map<string, number>, work: () => Promise<T>): Promise<T> {
  const spent = cpuByProcess(services);
  const result = await work();
  for (const [process, seconds] of spent()) total.set(process, (total.get(process) ?? 0) + seconds);
  return result;
}

/** "kafka 12.3, product-service 9.8, …" in cpu milliseconds per unit of work, the largest first */
export function perUnit(spent: Map<string, number>, units: number): { process: string; cpuMs: number }[] {
  if (units <= 0) return [];
  return [...spent].map(([process, seconds]) => ({ process, cpuMs: (seconds * 1000) / units }));
}

/**
 * waits until the platform (everything but the bench itself) used less than `cores` of cpu over a
 * 2 s window, or `maxMs` passed: stores still flushing, compacting or indexing what the last step
 * wrote would otherwise be measured with the next one. resolves to the last window's cpu, in cores.
 */
export async function untilQuiet(
  services: ReadonlySet<number>,
  cores = 0.35,
  maxMs = 60_000,
): Promise<{ waitedMs: number; cores: number }> {
  const started = performance.now();
  for (;;) {
    const window = cpuByProcess(services);
    await new Promise((r) => setTimeout(r, 2_000));
    const busy = [...window()].filter(([kind]) => !kind.startsWith('bench')).reduce((sum, [, s]) => sum + s, 0) / 2;
    const waitedMs = performance.now() - started;
    if (busy < cores || waitedMs >= maxMs) return { waitedMs, cores: busy };
  }
}

// the JVM servers, whose cpu is split by thread below
const JVMS = new Set(['cassandra', 'kafka', 'elasticsearch', 'mongodb-wire server']);

// cassandra's request stages share one pool of threads, and a thread takes the name of the stage it
// works for at the moment: its cpu so far would be counted under whichever name it has when read
const CASSANDRA_SHARED_POOL = /^(MutationStage|ReadStage|Native-Transpor|CounterMutation|ViewMutation|RequestResponse)/;

// a thread's group: its name (as the kernel keeps it, 15 characters) without a trailing pool index,
// so "GC Thread#3" and "GC Thread#1" count together; the JIT's "C2 CompilerThre" stays whole
function threadGroup(comm: string): string {
  const name = comm.trim();
  if (CASSANDRA_SHARED_POOL.test(name)) return 'request stages';
  return name.replace(/[-#:]?\d+$/, '') || name;
}

// user + system cpu seconds so far of each JVM server's thread groups
function sampleThreads(): Map<string, Map<string, number>> {
  const totals = new Map<string, Map<string, number>>();
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const kind = kindOf(readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' '));
      if (!kind || !JVMS.has(kind)) continue;
      const groups = totals.get(kind) ?? new Map<string, number>();
      totals.set(kind, groups);
      for (const tid of readdirSync(`/proc/${pid}/task`)) {
        try {
          const group = threadGroup(readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8'));
          groups.set(group, (groups.get(group) ?? 0) + cpuSeconds(`/proc/${pid}/task/${tid}/stat`));
        } catch {
          // the thread ended meanwhile
        }
      }
    } catch {
      // gone meanwhile
    }
  }
  return totals;
}

/**
 * cpu time of each JVM server's thread groups (its request threads, its JIT compilers, its collector,
 * its commit log…) between this call and the call of the returned function: where a server's share of
 * an order goes. threads that end between the two reads are lost (linux only)
 */
export function jvmThreadsCpu(): () => Map<string, Map<string, number>> {
  if (process.platform !== 'linux') return () => new Map();
  const before = sampleThreads();
  return () => {
    const spent = new Map<string, Map<string, number>>();
    for (const [kind, groups] of sampleThreads()) {
      const was = before.get(kind) ?? new Map<string, number>();
      const used = [...groups].map(([group, s]) => [group, s - (was.get(group) ?? 0)] as const).filter(([, s]) => s > 0);
      spent.set(kind, new Map(used.sort((a, b) => b[1] - a[1])));
    }
    return spent;
  };
}
