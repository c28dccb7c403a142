import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { fingerprint, idempotencyKeyProblem, mergeItems } from './order-request';
import { PlaceOrderRequest } from './place-order.request.dto';

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

describe('PlaceOrderRequest', () => {
  const errorsOf = (items: object[]) =>
    validateSync(plainToInstance(PlaceOrderRequest, { items })).flatMap((e) => Object.values(e.constraints ?? {}));

  it('caps the quantity per product, however many lines repeat it', () => {
    expect(errorsOf([{ productId: 'p-1', quantity: 1000 }])).toEqual([]);
    expect(
      errorsOf([
        { productId: 'p-1', quantity: 600 },
        { productId: 'p-2', quantity: 600 },
      ]),
    ).toEqual([]);
    expect(errorsOf(Array.from({ length: 100 }, () => ({ productId: 'p-1', quantity: 1000 })))).toEqual([
      'items must not add up to more than 1000 of one product',
    ]);
    expect(
      errorsOf([
        { productId: 'p-1', quantity: 600 },
        { productId: 'p-1', quantity: 401 },
      ]),
    ).toEqual(['items must not add up to more than 1000 of one product']);
  });
});
