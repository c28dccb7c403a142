import { plainToInstance, Type } from 'class-transformer';
import { IsEmail, IsInt, Min, ValidateNested, validateSync } from 'class-validator';
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

  it('computes offsets and wraps a page', () => {
    const q = plainToInstance(PageQuery, { page: '3', limit: '10' });
    expect(offsetOf(q)).toBe(20);
    expect(pageOf(['a'], 21, q)).toEqual({ items: ['a'], page: 3, limit: 10, total: 21 });
  });
});
