import type { KafkaMessage, Message } from 'kafkajs';
import { createEnvelope, Topics } from '@ecom/events';
import { DLT_HEADERS } from '../constants';
import { backoff, processMessage, ShutdownInterrupted, UnprocessableEvent, type ProcessDeps } from './process-message';

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
    log: { warn: () => undefined, error: () => undefined },
    ...overrides,
  };
  return { d, deadLetters, sleeps };
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
    const { d, deadLetters, sleeps } = deps(handle);
    const outcome = await processMessage({ topic: Topics.OrderPlaced, partition: 0, message: kafkaMessage(valid()) }, d);
    expect(outcome).toBe('dead-lettered');
    expect(handle).toHaveBeenCalledTimes(3);
    expect(sleeps).toEqual([100, 200]);
    expect(deadLetters[0].message.headers).toMatchObject({
      [DLT_HEADERS.reason]: 'failed',
      [DLT_HEADERS.error]: 'db down',
      [DLT_HEADERS.attempts]: '3',
    });
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

describe('backoff', () => {
  it('doubles and is capped', () => {
    expect([1, 2, 3].map((n) => backoff(100, n))).toEqual([100, 200, 400]);
    expect(backoff(100, 30)).toBe(10_000);
  });
});
