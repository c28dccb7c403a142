import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Contract } from './contract';
import { money } from './contracts/money';
import { EventValidationError } from './event-validation.error';
import { readEnvelope } from './read-envelope';
import { upcaster } from './upcast';

// a synthetic contract at v3: v1 had a bare amount in cents, v2 made it money, v3 added the channel
const v1 = z.object({ paymentId: z.string().min(1), cents: z.number().int() });
const v2 = z.object({ paymentId: z.string().min(1), amount: money });
const v3 = v2.extend({ channel: z.enum(['web', 'shop']) });

const fromV1 = upcaster(v1, (p) => ({ paymentId: p.paymentId, amount: { amount: p.cents, currency: 'EUR' } }));
const fromV2 = upcaster(v2, (p) => ({ ...p, channel: 'web' }));
const paid: Contract = { type: 'payment.captured', version: 3, schema: v3, upcasters: { 1: fromV1, 2: fromV2 } };

const current = { paymentId: 'pay-1', amount: { amount: 500, currency: 'EUR' }, channel: 'shop' };

function raw(version: number, payload: unknown, type = paid.type): string {
  const envelope = {
    id: randomUUID(),
    type,
    version,
    occurredAt: new Date().toISOString(),
    correlationId: 'c-1',
    causationId: null,
    key: 'pay-1',
  };
  return JSON.stringify({ ...envelope, payload });
}

const read = (value: string, contract = paid) => readEnvelope('payments', contract, value);

describe('readEnvelope across versions', () => {
  it('reads the current version as it is', () => {
    expect(read(raw(3, current))).toMatchObject({ version: 3, payload: current });
  });

  it('upcasts v1 through v2 to the current version', () => {
    const env = read(raw(1, { paymentId: 'pay-1', cents: 500 }));
    expect(env.version).toBe(3);
    expect(env.payload).toEqual({ paymentId: 'pay-1', amount: { amount: 500, currency: 'EUR' }, channel: 'web' });
  });

  it('upcasts v2 with the last step only', () => {
    const env = read(raw(2, { paymentId: 'pay-1', amount: { amount: 7, currency: 'USD' } }));
    expect(env).toMatchObject({ version: 3, payload: { amount: { amount: 7, currency: 'USD' }, channel: 'web' } });
  });

  it('rejects an old payload that is invalid for its own version', () => {
    expect(() => read(raw(1, { paymentId: 'pay-1', cents: 'five' }))).toThrow(/payment.captured v1 failed the upcaster from v1: cents: /);
  });

  it('validates what the upcasters produce with the current schema', () => {
    const sloppy: Contract = { ...paid, upcasters: { 1: fromV1, 2: (p) => p } };
    expect(() => read(raw(2, { paymentId: 'pay-1', amount: { amount: 7, currency: 'USD' } }), sloppy)).toThrow(
      /invalid payload for payments after upcasting v2 to v3: channel: /,
    );
  });

  it('rejects an older version that has no upcaster chain to the current one', () => {
    const noV1: Contract = { ...paid, upcasters: { 2: fromV2 } };
    const reading = () => read(raw(1, { paymentId: 'pay-1', cents: 500 }), noV1);
    expect(reading).toThrow(EventValidationError);
    expect(reading).toThrow(/payment.captured v1 cannot be read: no upcaster from v1 to v2 \(current is v3\)/);
  });

  it('tolerates unknown fields and strips them, nested ones too', () => {
    const extra = { ...current, note: 'new', amount: { ...current.amount, rate: 1.1 } };
    expect(read(raw(3, extra)).payload).toEqual(current);
  });

  it('reads the next version as the current one when it only added fields', () => {
    const env = read(raw(4, { ...current, giftWrap: true }));
    expect(env).toMatchObject({ version: 3, payload: current });
  });

  it('rejects the next version when it does not parse as the current one: the consumer is behind', () => {
    const reading = () => read(raw(4, { paymentId: 'pay-1', amount: current.amount }));
    expect(reading).toThrow(EventValidationError);
    expect(reading).toThrow(/consumer is behind: payment.captured v4 on payments is newer than v3 and does not parse as v3; .*: channel: /);
  });

  it('rejects anything newer than the next version, even if it would parse', () => {
    expect(() => read(raw(5, current))).toThrow(/consumer is behind: payment.captured v5 on payments is newer than v3: only v4 is tried/);
  });

  it('rejects another event type whatever its version', () => {
    expect(() => read(raw(3, current, 'payment.refunded'))).toThrow(/got payment.refunded v3, expected payment.captured v3/);
  });
});
