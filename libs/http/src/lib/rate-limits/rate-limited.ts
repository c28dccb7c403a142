import { HttpException, HttpStatus } from '@nestjs/common';

/** a 429 whose Retry-After ProblemDetailsFilter writes */
export class RateLimited extends HttpException {
  constructor(readonly retryAfterSeconds: number) {
    super(`too many requests; try again in ${retryAfterSeconds} s`, HttpStatus.TOO_MANY_REQUESTS);
  }
}
