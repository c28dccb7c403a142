import { DLT_HEADERS, HEADER_EVENT_ID } from '../constants';
import { toDeadLetterEntry } from './dead-letter-entry';
import { REPLAY_HEADERS, replayMessage } from './replay-dead-letters';

describe('replayMessage', () => {
  it('keeps the original key, value and headers, drops the dlt headers and says what it replays', () => {
    const entry = toDeadLetterEntry(0, {
      key: Buffer.from('o-1'),
      value: Buffer.from('{"id":"e-1"}'),
      headers: {
        [HEADER_EVENT_ID]: Buffer.from('e-1'),
        [DLT_HEADERS.topic]: Buffer.from('order.placed'),
        [DLT_HEADERS.error]: Buffer.from('boom'),
        [REPLAY_HEADERS.replayedAt]: Buffer.from('an earlier replay'),
      },
      offset: '7',
      timestamp: '1700000000000',
      attributes: 0,
    });
    const m = replayMessage('order.placed.dlt', entry, '2026-11-30T12:00:00.000Z');
    expect(m.key?.toString()).toBe('o-1');
    expect(m.value?.toString()).toBe('{"id":"e-1"}');
    expect(Object.fromEntries(Object.entries(m.headers ?? {}).map(([k, v]) => [k, String(v)]))).toEqual({
      [HEADER_EVENT_ID]: 'e-1',
      [REPLAY_HEADERS.replayedAt]: '2026-11-30T12:00:00.000Z',
      [REPLAY_HEADERS.replayOf]: 'order.placed.dlt/0/7',
    });
  });
});
