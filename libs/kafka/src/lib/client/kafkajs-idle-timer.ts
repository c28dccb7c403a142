/**
 * kafkajs 2.2.4, its last release, re-arms a timer on every broker connection every millisecond
 * while nothing is waiting to be sent: RequestQueue.scheduleCheckPendingRequests computes
 * `throttledUntil - Date.now()` with throttledUntil at -1 when there is no throttling, and sets a
 * timer with that negative delay, which node runs after 1 ms, and which schedules the next one.
 * every idle service spent 3.5 to 3.9 % of a core on it (five services and their clients: a fifth
 * of a core), and node 24 warns about the negative delay (TimeoutNegativeWarning). upstream:
 * tulios/kafkajs issues 1556 and 1704; the fixes are not merged, and the project is not maintained.
 *
 * the replacement schedules a check only when a request is pending (in 10 ms, or when the
 * throttle ends) or when a throttle is still running. a request that arrives later is sent by
 * push(), or queued and scheduled by push() itself; a finished request checks the queue on its own.
 */

// kafkajs's own constant for the wait before looking at pending requests again
const CHECK_PENDING_REQUESTS_INTERVAL = 10;

interface RequestQueueLike {
  throttledUntil: number;
  throttleCheckTimeoutId: NodeJS.Timeout | null;
  pending: unknown[];
  checkPendingRequests(): void;
  scheduleCheckPendingRequests(): void;
}

function scheduleCheckPendingRequests(this: RequestQueueLike): void {
  if (this.throttleCheckTimeoutId) return;
  let scheduleAt = this.throttledUntil - Date.now();
  if (this.pending.length > 0) scheduleAt = scheduleAt > 0 ? scheduleAt : CHECK_PENDING_REQUESTS_INTERVAL;
  else if (scheduleAt <= 0) return;
  this.throttleCheckTimeoutId = setTimeout(() => {
    this.throttleCheckTimeoutId = null;
    this.checkPendingRequests();
  }, scheduleAt);
}

/** the request queue's class, from inside kafkajs (it ships its sources) */
export function kafkajsRequestQueue(): { prototype: RequestQueueLike; new (...args: never[]): RequestQueueLike } {
  return require('kafkajs/src/network/requestQueue');
}

// marks the replacement, so a second copy of this module (a test's fresh registry) sees it in place
const REPLACED = Symbol.for('@ecom/kafka: kafkajs idle timer');

/**
 * replaces the busy timer, once per process; leaves a kafkajs alone whose method is no longer the
 * one described above (an upgrade that fixed it). true when the replacement is in place
 */
export function stopKafkajsIdleTimer(): boolean {
  const queue = kafkajsRequestQueue().prototype;
  const current = queue.scheduleCheckPendingRequests as RequestQueueLike['scheduleCheckPendingRequests'] & { [REPLACED]?: true };
  if (current[REPLACED]) return true;
  if (!current.toString().includes('this.throttledUntil - Date.now()')) return false;
  queue.scheduleCheckPendingRequests = Object.assign(scheduleCheckPendingRequests, { [REPLACED]: true as const });
  return true;
}
