import Fastify from 'fastify';
import { parseJsonAsUtf8, unsafeTextIn } from './json-text';

describe('unsafeTextIn', () => {
  it('lets plain text through, tabs and line breaks and every script included', () => {
    expect(unsafeTextIn({ name: 'Grüner Tee 緑茶 🍵', description: 'line one\nline two\r\n\tindented', tags: ['a', 'b'], n: 1, ok: true, none: null })).toBeUndefined();
  });

  it('names the first field that holds a control character or half a surrogate pair', () => {
    expect(unsafeTextIn({ name: 'tea\u0000' })).toBe('$.name holds a control character');
    expect(unsafeTextIn({ items: [{ sku: 'ok' }, { sku: 'bell\u0007' }] })).toBe('$.items[1].sku holds a control character');
    expect(unsafeTextIn({ 'odd key': '\u007f' })).toBe('$["odd key"] holds a control character');
    expect(unsafeTextIn({ name: 'x\ud800y' })).toBe('$.name holds an unpaired surrogate (not Unicode text)');
    expect(unsafeTextIn({ name: '\udc00' })).toBe('$.name holds an unpaired surrogate (not Unicode text)');
    expect(unsafeTextIn({ ['k\u0001']: 1 })).toBe('the key "k?" at $ holds a control character');
  });

  it('walks a deep body without recursion', () => {
    let deep: unknown = 'bad\u0000';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(unsafeTextIn(deep)).toMatch(/holds a control character$/);
  });
});

describe('parseJsonAsUtf8', () => {
  const app = Fastify();
  parseJsonAsUtf8(app);
  app.post('/echo', async (request) => request.body);
  afterAll(() => app.close());
  const post = (payload: Buffer | string) => app.inject({ method: 'POST', url: '/echo', headers: { 'content-type': 'application/json' }, payload });

  it('parses UTF-8 JSON as before', async () => {
    const res = await post(Buffer.from(JSON.stringify({ name: 'Grüner Tee 🍵' })));
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ name: 'Grüner Tee 🍵' });
  });

  it('refuses bytes that are not UTF-8 with a 400 instead of storing U+FFFD', async () => {
    const res = await post(Buffer.concat([Buffer.from('{"name":"t'), Buffer.from([0xff, 0xfe]), Buffer.from('a"}')]));
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toBe('the JSON body is not valid UTF-8');
  });

  it("keeps fastify's protection against __proto__ keys and its answer to broken JSON", async () => {
    expect((await post('{"__proto__":{"admin":true}}')).statusCode).toBe(400);
    expect((await post('{"name":')).statusCode).toBe(400);
  });
});
