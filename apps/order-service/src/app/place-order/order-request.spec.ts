import { fingerprint, idempotencyKeyProblem, mergeItems } from './order-request';

describe('mergeItems', () => {
  it('adds up repeated products and keeps the first-seen order', () => {
    expect(
      mergeItems([
        { productId: 'b', quantity: 1 },
        { productId: 'a', quantity: 2 },
        { productId: 'b', quantity: 3 },
      ]),
    ).toEqual([
      { productId: 'b', quantity: 4 },
      { productId: 'a', quantity: 2 },
    ]);
  });
});

describe('fingerprint', () => {
  it('is equal for equal bodies and differs when anything changes', () => {
    const body = [{ productId: 'a', quantity: 1 }];
    expect(fingerprint(body)).toBe(fingerprint([{ productId: 'a', quantity: 1 }]));
    expect(fingerprint(body)).not.toBe(fingerprint([{ productId: 'a', quantity: 2 }]));
    expect(fingerprint(body)).not.toBe(fingerprint([{ productId: 'b', quantity: 1 }]));
  });
});

describe('idempotencyKeyProblem', () => {
  it('accepts a uuid or no key, and refuses empty, spaces and overlong keys', () => {
    expect(idempotencyKeyProblem(undefined)).toBeNull();
    expect(idempotencyKeyProblem('8e03978e-40d5-43e8-bc93-6894a57f9324')).toBeNull();
    expect(idempotencyKeyProblem('')).toMatch(/Idempotency-Key/);
    expect(idempotencyKeyProblem('has space')).toMatch(/Idempotency-Key/);
    expect(idempotencyKeyProblem('x'.repeat(256))).toMatch(/Idempotency-Key/);
  });
});
