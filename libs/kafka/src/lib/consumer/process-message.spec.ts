import type { KafkaMessage, Message } from 'kafkajs';
import { createEnvelope, Topics } from '@ecom/events';
import { DLT_HEADERS } from '../constants';
import {
  backoff,
  processBatch,
  processMessage,
  ShutdownInterrupted,
  UnprocessableEvent,
  type BatchDeps,
  type ProcessDeps,
} from './process-message';

const order = {
  orderId: 'o-1',
  userId: 'u-1',
  lines: [{ productId: 'p-1', quantity: 1 }],
};

function kafkaMessage(value: Buffer | null, offset = '42'): KafkaMessage {
  return {
    key: Buffer.from('o-1'),
    value,
    offset,
    timestamp: '1700000000000',
    attributes: 0,
    headers: { 'event-id': 'x' },
  } as KafkaMessage;
}

function deps(handle: ProcessDeps['handle'], overrides: Partial<ProcessDeps> = {}) {
  const deadLetters: { topic: string; message: Message }[] = [];
  const sleeps: number[] = [];
  const stalls: (string | null)[] = [];
  const failedAttempts: string[] = [];
  let heartbeats = 0;
  const d: ProcessDeps = {
    groupId: 'test-group',
    maxRetries: 2,
    backoffMs: 100,
    handle,
    sendDeadLetter: async (topic, message) => {
      deadLetters.push({ topic, message });
    },
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    stopping: () => false,
    dependenciesHealthy: async () => true,
    heartbeat: async () => {
      heartbeats++;
    },
    stalled: (error) => stalls.push(error),
    failedAttempt: (kind) => failedAttempts.push(kind),
    log: { warn: () => undefined, error: () => undefined },
    ...overrides,
  };
  return { d, deadLetters, sleeps, stalls, failedAttempts, heartbeats: () => heartbeats };
}

const valid = () => Buffer.from(JSON.stringify(createEnvelope(Topics.OrderPlaced, order, { key: 'o-1' })));

describe('processMessage', () => {
  it('hands a valid event to the handler', async () => {
    const seen: unknown[] = [];
    const { d, deadLetters } = deps(async (e) => void seen.push(e.payload));
    await expect(processMessage({ topic: Topics.OrderPlaced, partition: 0, message: kafkaMessage(valid()) }, d)).resolves.toBe('handled');
    expect(seen).toEqual([order]);
    expect(deadLetters).toEqual([]);
  });

  it('sends a poison message to the dead-letter topic at once, without calling the handler', async () => {
    const handle = jest.fn();
    const { d, deadLetters, sleeps } = deps(handle);
    const outcome = await processMessage({ topic: Topics.OrderPlaced, partition: 1, message: kafkaMessage(Buffer.from('garbage')) }, d);
    expect(outcome).toBe('dead-lettered');
    expect(handle).not.toHaveBeenCalled();
    expect(sleeps).toEqual([]);
    expect(deadLetters).toHaveLength(1);
    const [{ topic, message }] = deadLetters;
    expect(topic).toBe('order.placed.dlt');
    expect(message.value?.toString()).toBe('garbage');
    expect(message.key?.toString()).toBe('o-1');
    expect(message.headers).toMatchObject({
      'event-id': 'x',
      [DLT_HEADERS.topic]: 'order.placed',
      [DLT_HEADERS.partition]: '1',
      [DLT_HEADERS.offset]: '42',
      [DLT_HEADERS.reason]: 'invalid',
      [DLT_HEADERS.group]: 'test-group',
    });
    expect(String(message.headers?.[DLT_HEADERS.error])).toMatch(/not JSON/);
  });

  it('retries a failing handler with growing backoff, then dead-letters with the error', async () => {
    const handle = jest.fn().mockRejectedValue(new Error('db down'));
    const { d, deadLetters, sleeps, failedAttempts } = deps(handle);
    const outcome = await processMessage({ topic: Topics.OrderPlaced, partition: 0, message: kafkaMessage(valid()) }, d);
    expect(outcome).toBe('dead-lettered');
    expect(handle).toHaveBeenCalledTimes(3);
    expect(sleeps).toEqual([100, 200]);
    expect(failedAttempts).toEqual(['retried', 'retried']);
    expect(deadLetters[0].message.headers).toMatchObject({
      [DLT_HEADERS.reason]: 'failed',
      [DLT_HEADERS.error]: 'db down',
      [DLT_HEADERS.attempts]: '3',
    });
  });

  it('waits out a store outage far longer than the retry budget, never dead-letters it, and says so while it waits', async () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9042'), { code: 'ECONNREFUSED' });
    const handle = jest.fn();
    for (let i = 0; i < 50; i++) handle.mockRejectedValueOnce(refused);
    handle.mockResolvedValue(undefined);
    const { d, deadLetters, sleeps, stalls, heartbeats, failedAttempts } = deps(handle);
    await expect(processMessage({ topic: Topics.OrderPlaced, partition: 0, message: kafkaMessage(valid()) }, d)).resolves.toBe('handled');
    expect(handle).toHaveBeenCalledTimes(51);
    expect(deadLetters).toEqual([]);
    // capped backoff: it keeps checking every couple of seconds, however long the outage
    expect(Math.max(...sleeps)).toBe(2_000);
    expect(sleeps.slice(0, 3)).toEqual([100, 200, 400]);
    expect(heartbeats()).toBe(50);
    expect(failedAttempts).toEqual(Array(50).fill('paused'));
    expect(stalls.slice(0, 1)).toEqual(['connect ECONNREFUSED 127.0.0.1:9042']);
    expect(stalls.at(-1)).toBeNull();
  });

  it('treats an unrecognised error as an outage while a health check fails, and dead-letters it once the stores are healthy', async () => {
    let healthy = false;
    let calls = 0;
    const handle = jest.fn(async () => {
      if (++calls === 10) healthy = true;
      throw new Error('driver said something new');
    });
    const { d, deadLetters, failedAttempts } = deps(handle, { dependenciesHealthy: async () => healthy });
    await expect(processMessage({ topic: Topics.OrderPlaced, partition: 0, message: kafkaMessage(valid()) }, d)).resolves.toBe(
      'dead-lettered',
    );
    // 9 waits while unhealthy, then 1 + maxRetries (2) tries while healthy
    expect(handle).toHaveBeenCalledTimes(12);
    expect(failedAttempts).toEqual([...Array(9).fill('paused'), 'retried', 'retried']);
    expect(deadLetters[0].message.headers).toMatchObject({ [DLT_HEADERS.reason]: 'failed', [DLT_HEADERS.attempts]: '3' });
  });

  it('stops waiting when shutdown begins, leaving the offset uncommitted', async () => {
    let stopping = false;
    const refused = Object.assign(new Error('refused'), { code: 'ECONNREFUSED' });
    const handle = jest.fn(async () => {
      stopping = true;
      throw refused;
    });
    const { d, deadLetters } = deps(handle, { stopping: () => stopping });
    await expect(processMessage({ topic: Topics.OrderPlaced, partition: 0, message: kafkaMessage(valid()) }, d)).rejects.toThrow(
      ShutdownInterrupted,
    );
    expect(deadLetters).toEqual([]);
  });

  it('dead-letters an unprocessable event at once, without retries', async () => {
    const handle = jest.fn().mockRejectedValue(new UnprocessableEvent('no such order'));
    const { d, deadLetters, sleeps } = deps(handle);
    await expect(processMessage({ topic: Topics.OrderPlaced, partition: 0, message: kafkaMessage(valid()) }, d)).resolves.toBe(
      'dead-lettered',
    );
    expect(handle).toHaveBeenCalledTimes(1);
    expect(sleeps).toEqual([]);
    expect(deadLetters[0].message.headers).toMatchObject({ [DLT_HEADERS.reason]: 'unprocessable', [DLT_HEADERS.error]: 'no such order' });
  });

  it('succeeds after a transient failure without dead-lettering', async () => {
    const handle = jest.fn().mockRejectedValueOnce(new Error('blip')).mockResolvedValue(undefined);
    const { d, deadLetters } = deps(handle);
    await expect(processMessage({ topic: Topics.OrderPlaced, partition: 0, message: kafkaMessage(valid()) }, d)).resolves.toBe('handled');
    expect(handle).toHaveBeenCalledTimes(2);
    expect(deadLetters).toEqual([]);
  });

  it('throws (so the offset is not committed) when the dead-letter topic cannot be written', async () => {
    const { d } = deps(jest.fn(), {
      sendDeadLetter: async () => {
        throw new Error('kafka down');
      },
    });
    await expect(processMessage({ topic: Topics.OrderPlaced, partition: 0, message: kafkaMessage(null) }, d)).rejects.toThrow('kafka down');
  });

  it('stops retrying when shutdown begins and leaves the offset alone', async () => {
    const { d, deadLetters } = deps(jest.fn().mockRejectedValue(new Error('x')), { stopping: () => true });
    await expect(processMessage({ topic: Topics.OrderPlaced, partition: 0, message: kafkaMessage(valid()) }, d)).rejects.toBeInstanceOf(
      ShutdownInterrupted,
    );
    expect(deadLetters).toEqual([]);
  });
});

describe('processBatch', () => {
  const placed = (orderId: string) =>
    Buffer.from(JSON.stringify(createEnvelope(Topics.OrderPlaced, { ...order, orderId }, { key: orderId })));
  const batch = (...values: (Buffer | null)[]) => ({
    topic: Topics.OrderPlaced,
    partition: 0,
    messages: values.map((v, i) => kafkaMessage(v, String(10 + i))),
  });
  const batchDeps = (handleMany: BatchDeps['handleMany'], overrides: Partial<ProcessDeps> = {}) => {
    const made = deps(jest.fn(), overrides);
    // the single-event handle is never used: processBatch calls handleMany, also for one event alone
    return { ...made, d: { ...made.d, handleMany } satisfies BatchDeps };
  };
  const ids = (events: { payload: unknown }[]) => events.map((e) => (e.payload as { orderId: string }).orderId);

  it('hands every valid event to one call, in order, and dead-letters an invalid message on its own', async () => {
    const calls: string[][] = [];
    const { d, deadLetters } = batchDeps(async (events) => void calls.push(ids(events)));
    const outcomes = await processBatch(batch(placed('a'), Buffer.from('garbage'), placed('b'), placed('c')), d);
    expect(outcomes).toEqual(['handled', 'dead-lettered', 'handled', 'handled']);
    expect(calls).toEqual([['a', 'b', 'c']]);
    expect(deadLetters.map((l) => l.message.headers?.[DLT_HEADERS.offset])).toEqual(['11']);
  });

  it('splits a batch that fails while the stores are healthy, so only the event that fails for good is dead-lettered', async () => {
    const calls: string[][] = [];
    const { d, deadLetters } = batchDeps(async (events) => {
      calls.push(ids(events));
      if (ids(events).includes('poison')) throw new Error('cannot handle poison');
    });
    const outcomes = await processBatch(batch(placed('a'), placed('poison'), placed('c')), d);
    expect(outcomes).toEqual(['handled', 'dead-lettered', 'handled']);
    // the whole batch once, then each alone: the poison one 1 + maxRetries (2) times
    expect(calls).toEqual([['a', 'poison', 'c'], ['a'], ['poison'], ['poison'], ['poison'], ['c']]);
    expect(deadLetters).toHaveLength(1);
    expect(deadLetters[0].message.headers).toMatchObject({ [DLT_HEADERS.offset]: '11', [DLT_HEADERS.reason]: 'failed' });
  });

  it('dead-letters an unprocessable event of a batch alone, at once', async () => {
    const calls: string[][] = [];
    const { d, deadLetters, sleeps } = batchDeps(async (events) => {
      calls.push(ids(events));
      if (ids(events).includes('gone')) throw new UnprocessableEvent('no such order');
    });
    expect(await processBatch(batch(placed('gone'), placed('b')), d)).toEqual(['dead-lettered', 'handled']);
    expect(calls).toEqual([['gone', 'b'], ['gone'], ['b']]);
    expect(sleeps).toEqual([]);
    expect(deadLetters[0].message.headers).toMatchObject({ [DLT_HEADERS.reason]: 'unprocessable' });
  });

  it('waits out an outage with the whole batch, never splitting or dead-lettering it', async () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9042'), { code: 'ECONNREFUSED' });
    let calls = 0;
    const { d, deadLetters, stalls, heartbeats, failedAttempts } = batchDeps(async (events) => {
      expect(events).toHaveLength(3);
      if (++calls <= 20) throw refused;
    });
    expect(await processBatch(batch(placed('a'), placed('b'), placed('c')), d)).toEqual(['handled', 'handled', 'handled']);
    expect(calls).toBe(21);
    expect(deadLetters).toEqual([]);
    expect(heartbeats()).toBe(20);
    expect(failedAttempts).toEqual(Array(20).fill('paused'));
    expect(stalls.at(0)).toMatch(/ECONNREFUSED/);
    expect(stalls.at(-1)).toBeNull();
  });

  it('stops waiting when shutdown begins, leaving every offset of the batch uncommitted', async () => {
    let stopping = false;
    const { d, deadLetters } = batchDeps(
      async () => {
        stopping = true;
        throw Object.assign(new Error('refused'), { code: 'ECONNREFUSED' });
      },
      { stopping: () => stopping },
    );
    await expect(processBatch(batch(placed('a'), placed('b')), d)).rejects.toBeInstanceOf(ShutdownInterrupted);
    expect(deadLetters).toEqual([]);
  });

  it('handles a batch of one exactly as processMessage does', async () => {
    const calls: string[][] = [];
    const { d, deadLetters } = batchDeps(async (events) => {
      calls.push(ids(events));
      throw new Error('always');
    });
    expect(await processBatch(batch(placed('a')), d)).toEqual(['dead-lettered']);
    expect(calls).toEqual([['a'], ['a'], ['a']]);
    expect(deadLetters[0].message.headers).toMatchObject({ [DLT_HEADERS.reason]: 'failed', [DLT_HEADERS.attempts]: '3' });
  });
});

describe('backoff', () => {
  it('doubles and is capped', () => {
    expect([1, 2, 3].map((n) => backoff(100, n))).toEqual([100, 200, 400]);
    expect(backoff(100, 30)).toBe(10_000);
  });
});
