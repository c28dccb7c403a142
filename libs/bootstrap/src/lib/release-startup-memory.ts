import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

type Gc = (options: { type: 'major'; execution: 'sync'; flavor: 'last-resort' }) => void;

export interface ReleasedMemory {
  /** how long the collection held the event loop */
  readonly ms: number;
  readonly rssBeforeMb: number;
  readonly rssAfterMb: number;
}

/**
 * gives back what start-up left in V8's heap, once the service listens. loading the modules and building
 * the app grows the young generation to tens of MB, and V8 keeps those pages until its memory reducer gets
 * round to them: an idle service's steady trickle of allocation (heartbeats, polls, probes) puts that off
 * for minutes. a last-resort collection, what V8 does on a low-memory notification, shrinks the young
 * generation back to its first MB and compacts the old space, in one pause before the first request.
 * so the young generation may be large under load (a small cap makes the hot read pay for scavenges) and
 * small at idle. docs/performance.md, change 39
 */
export function releaseStartupMemory(): ReleasedMemory {
  const rssBefore = process.memoryUsage.rss();
  const started = performance.now();
  collectAllAvailableGarbage();
  const ms = performance.now() - started;
  return { ms, rssBeforeMb: toMb(rssBefore), rssAfterMb: toMb(process.memoryUsage.rss()) };
}

/** the young generation's committed size, in MB: what the collection above shrinks */
export function youngGenerationMb(): number {
  const space = getHeapSpaceStatistics().find((s) => s.space_name === 'new_space');
  return toMb(space?.physical_space_size ?? 0);
}

// V8's gc(), without exposing it to every module of the process: a context made while --expose-gc is
// set has it; the flag is set back at once
function collectAllAvailableGarbage(): void {
  setFlagsFromString('--expose-gc');
  try {
    (runInNewContext('gc') as Gc)({ type: 'major', execution: 'sync', flavor: 'last-resort' });
  } finally {
    setFlagsFromString('--no-expose-gc');
  }
}

const toMb = (bytes: number) => Math.round((bytes / 1_048_576) * 10) / 10;
