/**
 * the values of one metric's samples in a prometheus exposition (what /metrics answers), those
 * whose labels include every given label; e.g. samples(text, 'outbox_events', { db_system_name: 'postgresql' })
 */
export function samples(exposition: string, name: string, labels: Record<string, string> = {}): number[] {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  return exposition
    .split('\n')
    .filter(
      (line) =>
        (line.startsWith(`${name}{`) || line.startsWith(`${name} `)) &&
        wanted.every((l) => line.includes(`{${l}`) || line.includes(`,${l}`)),
    )
    .map((line) => Number(line.slice(line.lastIndexOf(' ') + 1)));
}
