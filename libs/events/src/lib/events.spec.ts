import { z } from 'zod';
import { strictObjects } from './contract-compat';
import { contractExamples } from './contract-examples';
import { createEnvelope } from './create-envelope';
import { EventValidationError } from './event-validation.error';
import { contracts } from './events-map';
import { allTopicSpecs, deadLetterTopic, Topics } from './topics';
import { parseEnvelope } from './validate';
import { EMAIL_PATTERN, userRegistered } from './contracts/user-events';

const order = {
  orderId: 'o-1',
  userId: 'u-1',
  lines: [{ productId: 'p-1', quantity: 2 }],
};

describe('topics', () => {
  it('declares a dead-letter topic next to every topic', () => {
    const names = allTopicSpecs().map((t) => t.name);
    for (const topic of Object.values(Topics)) {
      expect(names).toContain(topic);
      expect(names).toContain(deadLetterTopic(topic));
    }
    expect(new Set(names).size).toBe(names.length);
  });
});

describe('createEnvelope', () => {
  it('fills the envelope and keeps the payload', () => {
    const env = createEnvelope(Topics.OrderPlaced, order, { key: 'o-1', correlationId: 'req-7' });
    expect(env).toMatchObject({ type: 'order.placed', version: 1, key: 'o-1', correlationId: 'req-7', causationId: null, payload: order });
    expect(env.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(Number.isNaN(Date.parse(env.occurredAt))).toBe(false);
  });

  it('chains correlation and causation from the event being handled', () => {
    const cause = createEnvelope(Topics.OrderPlaced, order, { key: 'o-1', correlationId: 'flow-1' });
    const next = createEnvelope(Topics.OrderPlaced, order, { key: 'o-1', causedBy: cause });
    expect(next.correlationId).toBe('flow-1');
    expect(next.causationId).toBe(cause.id);
  });

  it('rejects an invalid payload at produce time', () => {
    const bad = { ...order, lines: [] };
    expect(() => createEnvelope(Topics.OrderPlaced, bad, { key: 'o-1' })).toThrow(EventValidationError);
    expect(() => createEnvelope(Topics.OrderPlaced, bad, { key: 'o-1' })).toThrow(/lines: /);
  });

  it('does not compile with a payload of another topic', () => {
    const userRegistered = { userId: 'u', email: 'a@b.co', name: 'A', role: 'customer' as const };
    // @ts-expect-error a user.registered payload is not an order.placed payload
    expect(() => createEnvelope(Topics.OrderPlaced, userRegistered, { key: 'u' })).toThrow(EventValidationError);
  });
});

describe('parseEnvelope', () => {
  const raw = (v: unknown) => Buffer.from(JSON.stringify(v));

  it('round-trips an envelope', () => {
    const env = createEnvelope(Topics.OrderPlaced, order, { key: 'o-1' });
    expect(parseEnvelope(Topics.OrderPlaced, raw(env))).toEqual(env);
  });

  it.each([
    ['not json', Buffer.from('{nope'), /not JSON/],
    ['null value', null, /empty message/],
    ['missing envelope fields', raw({ payload: order }), /invalid envelope/],
  ])('rejects %s', (_name, value, message) => {
    expect(() => parseEnvelope(Topics.OrderPlaced, value)).toThrow(message);
  });

  it('rejects an envelope of another type on the topic', () => {
    const env = createEnvelope(Topics.UserRegistered, { userId: 'u', email: 'a@b.co', name: 'A', role: 'customer' as const }, { key: 'u' });
    expect(() => parseEnvelope(Topics.OrderPlaced, raw(env))).toThrow(/got user.registered v1, expected order.placed v1/);
  });

  it('validates the payload again on consume', () => {
    const env = createEnvelope(Topics.OrderPlaced, order, { key: 'o-1' });
    const tampered = { ...env, payload: { ...order, lines: [{ productId: 'p-1', quantity: -1 }] } };
    expect(() => parseEnvelope(Topics.OrderPlaced, raw(tampered))).toThrow(/lines.0.quantity/);
  });
});

describe('rolling upgrades of the real contracts', () => {
  const raw = (v: unknown) => Buffer.from(JSON.stringify(v));

  it.each(Object.values(Topics))('%s tolerates unknown fields: no object in its schema is strict', (topic) => {
    expect(strictObjects(z.toJSONSchema(contracts[topic].schema, { io: 'input' }))).toEqual([]);
    const example = contractExamples[topic][0];
    const env = createEnvelope(topic, example, { key: 'k' });
    expect(parseEnvelope(topic, raw({ ...env, payload: { ...example, addedLater: true } })).payload).toEqual(example);
  });

  it('reads the next version of a contract as the current one when it only added fields', () => {
    const env = createEnvelope(Topics.OrderPlaced, order, { key: 'o-1' });
    const next = { ...env, version: env.version + 1, payload: { ...order, channel: 'web' } };
    expect(parseEnvelope(Topics.OrderPlaced, raw(next))).toEqual(env);
  });

  it('dead-letters the next version when its payload no longer fits: the consumer is behind', () => {
    const env = createEnvelope(Topics.OrderPlaced, order, { key: 'o-1' });
    const next = { ...env, version: env.version + 1, payload: { ...order, lines: undefined, items: order.lines } };
    expect(() => parseEnvelope(Topics.OrderPlaced, raw(next))).toThrow(EventValidationError);
    expect(() => parseEnvelope(Topics.OrderPlaced, raw(next))).toThrow(
      /consumer is behind: order.placed v2 on order.placed is newer than v1/,
    );
  });
});

describe('EMAIL_PATTERN', () => {
  it('accepts exactly what the user.registered contract accepts', () => {
    const samples = [
      'ann@example.com',
      'a=b@example.com',
      "o'neil@shop.example",
      'x@localhost',
      'a..b@example.com',
      'ann@ex_ample.com',
      'Ann.Lee+tag@Example.COM',
    ];
    for (const email of samples) {
      const contract = userRegistered.safeParse({ userId: 'u-1', email, name: 'Ann', role: 'customer' }).success;
      expect({ email, pattern: EMAIL_PATTERN.test(email) }).toEqual({ email, pattern: contract });
    }
    expect(EMAIL_PATTERN.test('a=b@example.com')).toBe(false);
    expect(EMAIL_PATTERN.test('Ann.Lee+tag@Example.COM')).toBe(true);
  });
});
