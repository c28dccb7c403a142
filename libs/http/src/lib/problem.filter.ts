import { Catch, HttpException, HttpStatus, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { currentCorrelationId } from '@ecom/observability';
import { PROBLEM_CONTENT_TYPE, VALIDATION_PROBLEM_TYPE, ValidationProblem, type ProblemDetails } from './problem';

const TITLES: Record<number, string> = Object.fromEntries(
  Object.entries(HttpStatus)
    .filter(([, v]) => typeof v === 'number')
    .map(([k, v]) => [v, k.toLowerCase().replace(/(^|_)(\w)/g, (_m, sep: string, c: string) => `${sep ? ' ' : ''}${c.toUpperCase()}`)]),
);

/** fastify's own errors (bad JSON, wrong content type, body too large) carry a 4xx statusCode */
function statusOf(error: unknown): number {
  if (error instanceof HttpException) return error.getStatus();
  const code = (error as { statusCode?: unknown })?.statusCode;
  return typeof code === 'number' && code >= 400 && code < 500 ? code : 500;
}

function detailOf(error: unknown, status: number): string | undefined {
  if (status >= 500) return 'An unexpected error occurred; quote the correlation id when reporting it.';
  if (error instanceof HttpException) {
    const body = error.getResponse();
    const message = typeof body === 'string' ? body : (body as { message?: unknown }).message;
    return Array.isArray(message) ? message.join('; ') : typeof message === 'string' ? message : error.message;
  }
  return (error as Error)?.message;
}

/** every error leaves as application/problem+json with the request's correlation id */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly log = new Logger('Problem');

  catch(error: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const request = ctx.getRequest<FastifyRequest>();
    const reply = ctx.getResponse<FastifyReply>();
    const status = statusOf(error);
    const problem: ProblemDetails = {
      type: error instanceof ValidationProblem ? VALIDATION_PROBLEM_TYPE : 'about:blank',
      title: TITLES[status] ?? 'Error',
      status,
      detail: detailOf(error, status),
      instance: request.url,
      correlationId: currentCorrelationId() ?? String(request.id),
      ...(error instanceof ValidationProblem && { errors: error.errors }),
    };
    // 5xx are ours to fix: log them with the stack; 4xx are the caller's and say why in the body
    if (status >= 500) this.log.error({ err: error, correlationId: problem.correlationId }, 'unhandled error');
    // rate limits and overloads say when to come back (rfc 9110)
    const retryAfter = (error as { retryAfterSeconds?: unknown })?.retryAfterSeconds;
    if (typeof retryAfter === 'number') void reply.header('retry-after', String(retryAfter));
    void reply.status(status).header('content-type', PROBLEM_CONTENT_TYPE).send(problem);
  }
}

/**
 * fastify's own errors, raised before a route runs (a malformed url, an over-long path parameter):
 * the same problem+json shape. pass it as the adapter's frameworkErrors option.
 */
export function frameworkProblem(error: { statusCode?: number; message: string }, request: FastifyRequest, reply: FastifyReply): void {
  const status = error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 400;
  const problem: ProblemDetails = {
    type: 'about:blank',
    title: TITLES[status] ?? 'Bad Request',
    status,
    detail: error.message,
    instance: request.url,
    correlationId: String(request.id),
  };
  void reply.status(status).header('content-type', PROBLEM_CONTENT_TYPE).send(problem);
}
