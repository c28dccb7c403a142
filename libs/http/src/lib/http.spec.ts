import { plainToInstance, Type } from 'class-transformer';
import { IsEmail, IsInt, Min, ValidateNested, validateSync } from 'class-validator';
import { nestsDeeperThan } from './json-depth';
import { offsetOf, PageQuery, pageOf } from './pagination';
import { ValidationProblem } from './problem';
import { fieldErrors } from './validation-errors';

class Line {
  @IsInt() @Min(1) quantity!: number;
}
class Order {
  @IsEmail() email!: string;
  @ValidateNested({ each: true }) @Type(() => Line) items!: Line[];
}

describe('fieldErrors', () => {
  it('lists one entry per failed constraint, with dotted paths into nested objects', () => {
    const errors = validateSync(plainToInstance(Order, { email: 'nope', items: [{ quantity: 2 }, { quantity: 0 }] }));
    expect(fieldErrors(errors)).toEqual([
      { field: 'email', message: 'email must be an email' },
      { field: 'items.1.quantity', message: 'quantity must not be less than 1' },
    ]);
  });

  it('summarises the fields in the problem detail', () => {
    const p = new ValidationProblem([
      { field: 'email', message: 'x' },
      { field: 'name', message: 'y' },
    ]);
    expect(p.getStatus()).toBe(400);
    expect(p.message).toBe('2 invalid fields: email, name');
  });
});

describe('PageQuery', () => {
  const parse = (q: object) => {
    const query = plainToInstance(PageQuery, q);
    return { query, errors: [...new Set(fieldErrors(validateSync(query)).map((e) => e.field))] };
  };

  it('defaults to page 1 of 20 and converts query strings', () => {
    expect(parse({}).query).toMatchObject({ page: 1, limit: 20 });
    expect(parse({ page: '3', limit: '50' }).query).toMatchObject({ page: 3, limit: 50 });
  });

  it('refuses a limit over 100, a page below 1 and non-numbers', () => {
    expect(parse({ limit: '101' }).errors).toEqual(['limit']);
    expect(parse({ page: '0' }).errors).toEqual(['page']);
    expect(parse({ page: 'abc', limit: '1.5' }).errors.sort()).toEqual(['limit', 'page']);
  });

  it('refuses a page past 10,000, however it is written, so no query skips more than a million rows', () => {
    expect(parse({ page: '10000' }).errors).toEqual([]);
    for (const page of ['10001', '1e308', '99999999999999999999', 'Infinity']) expect(parse({ page }).errors).toEqual(['page']);
  });

  it('computes offsets and wraps a page', () => {
    const q = plainToInstance(PageQuery, { page: '3', limit: '10' });
    expect(offsetOf(q)).toBe(20);
    expect(pageOf(['a'], 21, q)).toEqual({ items: ['a'], page: 3, limit: 10, total: 21 });
  });
});

describe('nestsDeeperThan', () => {
  const nest = (depth: number) => JSON.parse(`${'['.repeat(depth)}${']'.repeat(depth)}`);
  it('counts objects and arrays, the top level as 1, and ignores scalars', () => {
    expect(nestsDeeperThan(nest(32), 32)).toBe(false);
    expect(nestsDeeperThan(nest(33), 32)).toBe(true);
    expect(nestsDeeperThan({ a: { b: [1, 'x', null] } }, 3)).toBe(false);
    expect(nestsDeeperThan({ a: { b: [{}] } }, 3)).toBe(true);
    expect(nestsDeeperThan('text', 0)).toBe(false);
    expect(nestsDeeperThan(undefined, 1)).toBe(false);
  });

  it('checks a body 100,000 deep without overflowing its own stack', () => {
    expect(nestsDeeperThan(nest(100_000), 32)).toBe(true);
  });
});
