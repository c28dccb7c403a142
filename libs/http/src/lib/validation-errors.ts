import type { ValidationError } from 'class-validator';
import type { FieldError } from './problem';

/** flattens class-validator's tree into one entry per failed constraint, with a dotted path */
export function fieldErrors(errors: readonly ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((e) => {
    const field = parent ? `${parent}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...fieldErrors(e.children ?? [], field)];
  });
}
