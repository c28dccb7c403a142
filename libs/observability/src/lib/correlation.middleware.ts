import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { CORRELATION_HEADER } from './constants';
import { correlationIdOf } from './correlation-id';
import { runWithCorrelation } from './correlation';

/** echoes the correlation id and runs the rest of the request inside its context */
@Injectable()
export class CorrelationMiddleware implements NestMiddleware {
  use(req: IncomingMessage, res: ServerResponse, next: () => void): void {
    const id = correlationIdOf(req);
    res.setHeader(CORRELATION_HEADER, id);
    runWithCorrelation(id, next);
  }
}
