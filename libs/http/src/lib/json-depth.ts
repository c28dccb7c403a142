/** how deep a JSON body may nest: far more than any of our contracts, far less than what overflows a validator's stack */
export const MAX_JSON_DEPTH = 32;

/**
 * whether a parsed JSON value nests objects and arrays deeper than max (the top level counts as 1).
 * iterative, so the check itself can't overflow the stack on a hostile body.
 */
export function nestsDeeperThan(value: unknown, max: number): boolean {
  const pending: [unknown, number][] = [[value, 1]];
  while (pending.length > 0) {
    const [v, depth] = pending.pop() as [unknown, number];
    if (v === null || typeof v !== 'object') continue;
    if (depth > max) return true;
    for (const child of Object.values(v)) if (child !== null && typeof child === 'object') pending.push([child, depth + 1]);
  }
  return false;
}
