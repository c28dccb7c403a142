import type { IHeaders, KafkaMessage } from 'kafkajs';
import { DLT_HEADERS, HEADER_EVENT_ID } from '../constants';
import { deadLetterSource, toDeadLetterEntry, UnknownTopicError } from './dead-letter-entry';

function deadLetterMessage(headers: IHeaders, value = '{"id":"from-envelope"}'): KafkaMessage {
  return { key: Buffer.from('o-1'), value: Buffer.from(value), headers, offset: '7', timestamp: '1700000000000', attributes: 0 };
}

describe('deadLetterSource', () => {
  it('accepts a topic or its dead-letter topic', () => {
    expect(deadLetterSource('order.placed')).toEqual({ topic: 'order.placed', dlt: 'order.placed.dlt' });
    expect(deadLetterSource('order.placed.dlt')).toEqual({ topic: 'order.placed', dlt: 'order.placed.dlt' });
  });

  it('names the valid topics when given an unknown one', () => {
    expect(() => deadLetterSource('order.placd')).toThrow(UnknownTopicError);
    expect(() => deadLetterSource('order.placd.dlt')).toThrow(/unknown topic "order.placd.dlt".*order\.placed, order\.confirmed/);
  });
});

describe('toDeadLetterEntry', () => {
  it('reads where the message came from and why it failed from the dlt headers', () => {
    const entry = toDeadLetterEntry(
      0,
      deadLetterMessage({
        [HEADER_EVENT_ID]: Buffer.from('e-1'),
        [DLT_HEADERS.topic]: Buffer.from('order.placed'),
        [DLT_HEADERS.partition]: Buffer.from('4'),
        [DLT_HEADERS.offset]: Buffer.from('12'),
        [DLT_HEADERS.reason]: Buffer.from('failed'),
        [DLT_HEADERS.error]: Buffer.from('boom'),
        [DLT_HEADERS.attempts]: Buffer.from('3'),
        [DLT_HEADERS.failedAt]: Buffer.from('2026-11-30T12:00:00.000Z'),
      }),
    );
    expect(entry).toMatchObject({
      partition: 0,
      offset: '7',
      eventId: 'e-1',
      key: 'o-1',
      originalTopic: 'order.placed',
      originalPartition: 4,
      originalOffset: '12',
      reason: 'failed',
      error: 'boom',
      attempts: 3,
      failedAt: '2026-11-30T12:00:00.000Z',
    });
  });

  it("falls back to the envelope's id, and leaves it out of a value that is not json", () => {
    expect(toDeadLetterEntry(0, deadLetterMessage({})).eventId).toBe('from-envelope');
    expect(toDeadLetterEntry(0, deadLetterMessage({}, 'not json')).eventId).toBeUndefined();
  });
});
