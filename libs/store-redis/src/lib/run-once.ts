import type { Redis } from 'ioredis';

export type RedisCommand = readonly [command: string, ...args: (string | number)[]];

// one script, so the check, the effect and the marker are atomic even on a shared connection.
// the marker is written last: if a command fails, the event is not marked and will be retried.
const SCRIPT = `
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
for _, c in ipairs(cjson.decode(ARGV[2])) do redis.call(unpack(c)) end
redis.call('SET', KEYS[1], '1', 'EX', ARGV[1])
return 1`;

/**
 * applies redis commands at most once per event. false means the event was processed before.
 * note: ioredis applies its keyPrefix to the marker key only, not to keys inside the commands.
 */
export async function runOnceInRedis(
  redis: Redis,
  markerKey: string,
  commands: readonly RedisCommand[],
  markerTtlSeconds = 7 * 24 * 3600,
): Promise<boolean> {
  const applied = await redis.eval(SCRIPT, 1, markerKey, markerTtlSeconds, JSON.stringify(commands));
  return applied === 1;
}
