import { createHash } from 'node:crypto';
import { isIPv4, isIPv6 } from 'node:net';
import { emailKeyOf } from '../accounts/user.schema';

export interface Backoff {
  readonly baseMs: number;
  readonly maxMs: number;
}

/**
 * the wait after each failure past the free ones: base, 2 x base, 4 x base ... up to max. the last
 * entry is the cap and holds for every failure after it (the redis script indexes this list)
 */
export function backoffSchedule({ baseMs, maxMs }: Backoff): number[] {
  const waits: number[] = [];
  for (let wait = baseMs; wait < maxMs; wait *= 2) waits.push(wait);
  waits.push(maxMs);
  return waits;
}

/** the wait after the nth failure of a counter that lets `free` failures through back to back */
export function backoffAfter(failures: number, free: number, backoff: Backoff): number {
  if (failures < free) return 0;
  const schedule = backoffSchedule(backoff);
  return schedule[Math.min(failures - free, schedule.length - 1)];
}

/** Retry-After in whole seconds, rounded up, never 0 */
export const retryAfterSeconds = (ms: number): number => Math.max(1, Math.ceil(ms / 1000));

/**
 * the account part of a counter's key: the email as login matches it (trimmed, any case), hashed,
 * so keys have one length and one alphabet (no email can reach into the address part) and redis
 * holds no addresses in clear
 */
export const accountKeyOf = (email: string): string => createHash('sha256').update(emailKeyOf(email)).digest('hex').slice(0, 32);

/**
 * the client part of a counter's key. an ipv4 address as is (also when written as ::ffff:a.b.c.d);
 * an ipv6 address by its /64, since one host commonly holds a whole /64 and would otherwise get a
 * fresh counter for every address in it
 */
export function addressKeyOf(ip: string | undefined): string {
  const bare = (ip ?? '').replace(/%.*$/, '').toLowerCase();
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/.exec(bare);
  if (mapped && isIPv4(mapped[1])) return mapped[1];
  if (isIPv4(bare)) return bare;
  if (!isIPv6(bare)) return bare || 'unknown';
  return `${ipv6Groups(bare).slice(0, 4).join(':')}::/64`;
}

/** the eight 16-bit groups of a valid ipv6 address, in short hex */
function ipv6Groups(ip: string): string[] {
  const groupsOf = (part: string) => (part === '' ? [] : part.split(':').flatMap((g) => (g.includes('.') ? ['v4', 'v4'] : [g]))); // a trailing ipv4 is two groups
  const [head, tail] = ip.includes('::') ? ip.split('::') : [ip, undefined];
  const left = groupsOf(head);
  const right = tail === undefined ? [] : groupsOf(tail);
  const groups = [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  return groups.map((g) => (g === 'v4' ? g : parseInt(g, 16).toString(16)));
}
