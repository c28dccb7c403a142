import { sseComment, sseFrame, sseRetry, SseStream, type SseSink } from './sse';

class FakeSink implements SseSink {
  chunks: string[] = [];
  writableLength = 0;
  writableEnded = false;
  destroyed = false;
  write(chunk: string): boolean {
    this.chunks.push(chunk);
    return true;
  }
  end(): void {
    this.writableEnded = true;
  }
  get text(): string {
    return this.chunks.join('');
  }
}

describe('sse frames', () => {
  it('writes id, event and data, ended by a blank line', () => {
    expect(sseFrame({ id: 'n-1', event: 'notification', data: '{"a":1}' })).toBe('id: n-1\nevent: notification\ndata: {"a":1}\n\n');
  });

  it('splits multi-line data into data: lines, whatever the line break', () => {
    expect(sseFrame({ data: 'one\ntwo\r\nthree\rfour' })).toBe('data: one\ndata: two\ndata: three\ndata: four\n\n');
  });

  it('keeps id and event on one line, so a value cannot inject fields', () => {
    expect(sseFrame({ id: 'a\nevent: evil', event: 'x\r\ny', data: '' })).toBe('id: a event: evil\nevent: x y\ndata: \n\n');
  });

  it('writes comments and the retry delay', () => {
    expect(sseComment('heartbeat')).toBe(': heartbeat\n\n');
    expect(sseComment('a\nb')).toBe(': a\n: b\n\n');
    expect(sseRetry(3000.7)).toBe('retry: 3000\n\n');
  });
});

describe('SseStream', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('opens with the retry delay and a connected comment, then beats every interval', () => {
    const sink = new FakeSink();
    const stream = new SseStream(sink, { heartbeatMs: 15_000, retryMs: 2_000 });
    stream.start();
    expect(sink.text).toBe('retry: 2000\n\n: connected\n\n');
    jest.advanceTimersByTime(14_999);
    expect(sink.chunks).toHaveLength(1);
    jest.advanceTimersByTime(1);
    expect(sink.chunks[1]).toBe(': heartbeat\n\n');
    jest.advanceTimersByTime(30_000);
    expect(sink.chunks).toHaveLength(4);
  });

  it('sends events, and nothing once closed; close ends the response once', () => {
    const sink = new FakeSink();
    const end = jest.spyOn(sink, 'end');
    const stream = new SseStream(sink, { heartbeatMs: 1_000 });
    stream.start();
    stream.send({ id: '1', event: 'notification', data: '{}' });
    expect(sink.chunks[1]).toBe('id: 1\nevent: notification\ndata: {}\n\n');
    stream.close();
    stream.close();
    stream.send({ data: 'late' });
    jest.advanceTimersByTime(10_000);
    expect(sink.chunks).toHaveLength(2);
    expect(end).toHaveBeenCalledTimes(1);
    expect(stream.closed).toBe(true);
  });

  it('stops beating and writing when the client went away', () => {
    const sink = new FakeSink();
    const stream = new SseStream(sink, { heartbeatMs: 1_000 });
    stream.start();
    sink.destroyed = true;
    jest.advanceTimersByTime(5_000);
    stream.close();
    expect(sink.chunks).toHaveLength(1);
    expect(sink.writableEnded).toBe(false);
  });

  it('drops a client that stopped reading', () => {
    const sink = new FakeSink();
    const stream = new SseStream(sink, { heartbeatMs: 1_000, maxBufferedBytes: 100 });
    stream.start();
    sink.writableLength = 101;
    stream.send({ data: 'x' });
    expect(stream.closed).toBe(true);
    expect(sink.writableEnded).toBe(true);
  });
});
