import { kafkajsRequestQueue, stopKafkajsIdleTimer } from './kafkajs-idle-timer';

// a request queue as kafkajs builds one for a broker connection, with nothing sent yet
function idleQueue() {
  const RequestQueue = kafkajsRequestQueue() as unknown as new (options: object) => {
    throttledUntil: number;
    throttleCheckTimeoutId: NodeJS.Timeout | null;
    pending: unknown[];
    scheduleCheckPendingRequests(): void;
  };
  const logger = { debug: () => undefined, warn: () => undefined, error: () => undefined, info: () => undefined };
  return new RequestQueue({
    instrumentationEmitter: null,
    maxInFlightRequests: null,
    requestTimeout: 30_000,
    enforceRequestTimeout: true,
    clientId: 'spec',
    broker: '127.0.0.1:9092',
    logger: { namespace: () => logger },
    isConnected: () => true,
  });
}

describe('the kafkajs idle timer', () => {
  beforeAll(() => {
    expect(stopKafkajsIdleTimer()).toBe(true);
  });

  it('sets no timer when nothing is pending and nothing throttles', () => {
    const queue = idleQueue();
    queue.scheduleCheckPendingRequests();
    expect(queue.throttleCheckTimeoutId).toBeNull();
  });

  it('still checks a pending request again in 10 ms', () => {
    jest.useFakeTimers();
    try {
      const queue = idleQueue() as ReturnType<typeof idleQueue> & { checkPendingRequests(): void };
      const checked = jest.spyOn(queue, 'checkPendingRequests').mockImplementation(() => undefined);
      queue.pending.push({});
      queue.scheduleCheckPendingRequests();
      expect(queue.throttleCheckTimeoutId).not.toBeNull();
      jest.advanceTimersByTime(9);
      expect(checked).not.toHaveBeenCalled();
      jest.advanceTimersByTime(1);
      expect(checked).toHaveBeenCalledTimes(1);
    } finally {
      jest.useRealTimers();
    }
  });

  it('still wakes up when a throttle ends, with nothing pending', () => {
    jest.useFakeTimers();
    try {
      const queue = idleQueue() as ReturnType<typeof idleQueue> & { checkPendingRequests(): void };
      const checked = jest.spyOn(queue, 'checkPendingRequests').mockImplementation(() => undefined);
      queue.throttledUntil = Date.now() + 50;
      queue.scheduleCheckPendingRequests();
      jest.advanceTimersByTime(50);
      expect(checked).toHaveBeenCalledTimes(1);
    } finally {
      jest.useRealTimers();
    }
  });

  it('replaces the method once, and reports it in place when asked again', () => {
    const before = kafkajsRequestQueue().prototype.scheduleCheckPendingRequests;
    expect(stopKafkajsIdleTimer()).toBe(true);
    expect(kafkajsRequestQueue().prototype.scheduleCheckPendingRequests).toBe(before);
  });
});
