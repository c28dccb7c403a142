import type { Redis } from 'ioredis';

export type RedisCommand = readonly [command: string, ...args: (string | number)[]];

// one script, so the check, the effect and the marker are atomic even on a shared connection.
// the marker is written last: if a command fails, the event is not marked and will be retried.
const SCRIPT = `
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
for _, c in ipairs(cjson.decode(ARGV[2])) do redis.call(unpack(c)) end
redis.call('SET', KEYS[1], '1', 'EX', ARGV[1])
return 1`;

const DEFAULT_MARKER_TTL_SECONDS = 7 * 24 * 3600;

/**
 * applies redis commands at most once per event. false means the event was processed before.
 * note: ioredis applies its keyPrefix to the marker key only, not to keys inside the commands.
 */
export async function runOnceInRedis(
  redis: Redis,
  markerKey: string,
  commands: readonly RedisCommand[],
  markerTtlSeconds = DEFAULT_MARKER_TTL_SECONDS,
): Promise<boolean> {
  const applied = await redis.eval(SCRIPT, 1, markerKey, markerTtlSeconds, JSON.stringify(commands));
  return applied === 1;
}

/** one event's effect for runEachOnceInRedis */
export interface OnceInRedis {
  readonly markerKey: string;
  readonly commands: readonly RedisCommand[];
  readonly markerTtlSeconds?: number;
}

/**
 * runOnceInRedis for many events in one round trip (a pipeline of the same script): each event's
 * commands apply at most once, atomically with its marker. what was applied, in order. if any
 * script fails this throws; the events applied before it are marked, so a retry of all of them
 * applies only the rest.
 */
export async function runEachOnceInRedis(redis: Redis, events: readonly OnceInRedis[]): Promise<boolean[]> {
  if (events.length === 1) {
    const [e] = events;
    return [await runOnceInRedis(redis, e.markerKey, e.commands, e.markerTtlSeconds)];
  }
  const pipeline = redis.pipeline();
  for (const e of events)
    pipeline.eval(SCRIPT, 1, e.markerKey, e.markerTtlSeconds ?? DEFAULT_MARKER_TTL_SECONDS, JSON.stringify(e.commands));
  const results = (await pipeline.exec()) ?? [];
  const failed = results.find(([error]) => error);
  if (failed?.[0]) throw failed[0];
  return results.map(([, applied]) => applied === 1);
}
