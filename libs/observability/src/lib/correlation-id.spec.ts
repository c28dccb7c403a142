import type { IncomingMessage } from 'node:http';
import { correlationIdOf } from './correlation-id';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const request = (headers: Record<string, string | string[]>) => ({ headers }) as unknown as IncomingMessage & { id?: unknown };

describe('correlationIdOf', () => {
  it("takes the ingress controller's x-request-id when there is no x-correlation-id", () => {
    expect(correlationIdOf(request({ 'x-request-id': '5f2c9a0d1e' }))).toBe('5f2c9a0d1e');
    expect(correlationIdOf(request({ 'x-request-id': 'r-1', 'x-correlation-id': 'c-1' }))).toBe('c-1');
  });

  it('takes a sane x-correlation-id header', () => {
    expect(correlationIdOf(request({ 'x-correlation-id': 'order-42.retry:1' }))).toBe('order-42.retry:1');
  });

  it('makes a uuid when the header is missing, too long or unsafe to log', () => {
    expect(correlationIdOf(request({}))).toMatch(UUID);
    expect(correlationIdOf(request({ 'x-correlation-id': 'x'.repeat(129) }))).toMatch(UUID);
    expect(correlationIdOf(request({ 'x-correlation-id': 'a\nfake log line' }))).toMatch(UUID);
  });

  it('answers the same id every time it is asked about one request', () => {
    const req = request({});
    const first = correlationIdOf(req);
    expect(correlationIdOf(req)).toBe(first);
    expect(req.id).toBe(first);
  });
});
