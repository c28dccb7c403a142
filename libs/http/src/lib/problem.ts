import { HttpException, HttpStatus } from '@nestjs/common';

/** one invalid field of a request, as listed in a validation problem */
export interface FieldError {
  readonly field: string;
  readonly message: string;
}

/** RFC 9457 problem details, the one error body of every service */
export interface ProblemDetails {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail?: string;
  readonly instance?: string;
  readonly correlationId?: string;
  readonly errors?: readonly FieldError[];
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';
export const VALIDATION_PROBLEM_TYPE = 'urn:ecom:problem:validation';

/** a 400 that lists every bad field */
export class ValidationProblem extends HttpException {
  constructor(readonly errors: readonly FieldError[]) {
    super(
      `${errors.length} invalid field${errors.length === 1 ? '' : 's'}: ${errors.map((e) => e.field).join(', ')}`,
      HttpStatus.BAD_REQUEST,
    );
  }
}
