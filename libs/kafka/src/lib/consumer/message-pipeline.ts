import {
  Catch,
  Injectable,
  Logger,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
  type RpcExceptionFilter,
} from '@nestjs/common';
import { Observable, throwError } from 'rxjs';
import { finalize } from 'rxjs/operators';
import type { EventEnvelope } from '@ecom/events';
import { runWithCorrelation } from '@ecom/observability';
import type { EventContext } from './event-context';

/**
 * every event handler runs with the event's correlation id, so everything it logs and every event
 * it causes carries the id of the request that started the chain; it logs each event it handles.
 * a batch handler's events come from many requests: it runs with the correlation id of the first
 * only when the batch is that one event, and its line lists the batch's event ids.
 */
@Injectable()
export class MessageCorrelationInterceptor implements NestInterceptor {
  private readonly log = new Logger('Events');

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const rpc = context.switchToRpc();
    const data = rpc.getData<EventEnvelope | EventEnvelope[]>();
    const events = Array.isArray(data) ? data : [data];
    const where = rpc.getContext<EventContext>();
    const started = performance.now();
    const handled = () =>
      next.handle().pipe(
        finalize(() =>
          this.log.debug({
            topic: where.getTopic(),
            partition: where.getPartition(),
            offset: where.getMessage().offset,
            ...(events.length === 1 ? { eventId: events[0].id } : { eventIds: events.map((e) => e.id) }),
            ms: Math.round(performance.now() - started),
            msg: events.length === 1 ? 'event handled' : 'events handled',
          }),
        ),
      );
    if (events.length !== 1) return handled();
    return new Observable((subscriber) => runWithCorrelation(events[0].correlationId, () => handled().subscribe(subscriber)));
  }
}

/**
 * hands a handler's error back to the consumer unchanged: nest's default filter for messages would
 * turn it into { status: 'error', message: 'Internal server error' }, and the consumer tells an
 * outage (wait), a bug (retry, then dead-letter) and an unprocessable event (dead-letter) apart by
 * the error itself (processMessage). a service's own filters, @UseFilters on a handler, run first.
 */
@Catch()
export class MessageErrorFilter implements RpcExceptionFilter<unknown> {
  catch(exception: unknown): Observable<never> {
    return throwError(() => exception);
  }
}
