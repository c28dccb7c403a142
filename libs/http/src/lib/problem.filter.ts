import { Catch, HttpException, HttpStatus, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { currentCorrelationId, redactUrl } from '@ecom/observability';
import { isTransient, STORE_RETRY_AFTER_SECONDS } from '@ecom/resilience';
import { PROBLEM_CONTENT_TYPE, VALIDATION_PROBLEM_TYPE, ValidationProblem, type ProblemDetails } from './problem';

const TITLES: Record<number, string> = Object.fromEntries(
  Object.entries(HttpStatus)
    .filter(([, v]) => typeof v === 'number')
    .map(([k, v]) => [v, k.toLowerCase().replace(/(^|_)(\w)/g, (_m, sep: string, c: string) => `${sep ? ' ' : ''}${c.toUpperCase()}`)]),
);

/** fastify's own errors (bad JSON, wrong content type, body too large) carry a 4xx statusCode */
function statusOf(error: unknown): number {
  if (error instanceof HttpException) return error.getStatus();
  // a store that is down or overloaded: come back later, not "we have a bug"
  if (isTransient(error)) return HttpStatus.SERVICE_UNAVAILABLE;
  const code = (error as { statusCode?: unknown })?.statusCode;
  return typeof code === 'number' && code >= 400 && code < 500 ? code : 500;
}

function detailOf(error: unknown, status: number): string | undefined {
  if (status === HttpStatus.SERVICE_UNAVAILABLE && !(error instanceof HttpException))
    return 'A store this request needs is unavailable; nothing was changed. Retry after the time in Retry-After.';
  if (status >= 500) return 'An unexpected error occurred; quote the correlation id when reporting it.';
  if (error instanceof HttpException) {
    const body = error.getResponse();
    const message = typeof body === 'string' ? body : (body as { message?: unknown }).message;
    return Array.isArray(message) ? message.join('; ') : typeof message === 'string' ? message : error.message;
  }
  return (error as Error)?.message;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
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
    const detail = detailOf(error, status);
    const problem: ProblemDetails = {
      type: error instanceof ValidationProblem ? VALIDATION_PROBLEM_TYPE : 'about:blank',
      title: TITLES[status] ?? 'Error',
      status,
      // nest's own 404 names the url in its message
      detail: detail === undefined ? undefined : redactUrl(detail),
      // never echo a credential from the query string
      instance: redactUrl(request.url),
      correlationId: currentCorrelationId() ?? String(request.id),
      ...(error instanceof ValidationProblem && { errors: error.errors }),
    };
    // 5xx are ours to fix: log them with the stack; 4xx are the caller's and say why in the body;
    // an outage is neither, and is logged without the stack
    if (status === HttpStatus.SERVICE_UNAVAILABLE)
      this.log.warn({ err: messageOf(error), correlationId: problem.correlationId }, 'store unavailable');
    else if (status >= 500) this.log.error({ err: error, correlationId: problem.correlationId }, 'unhandled error');
    // rate limits and outages say when to come back (rfc 9110)
    const retryAfter = (error as { retryAfterSeconds?: unknown })?.retryAfterSeconds;
    if (typeof retryAfter === 'number') void reply.header('retry-after', String(retryAfter));
    else if (status === HttpStatus.SERVICE_UNAVAILABLE) void reply.header('retry-after', String(STORE_RETRY_AFTER_SECONDS));
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
