import {
  context,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type Span,
} from '@opentelemetry/api';
import type { IHeaders } from 'kafkajs';

const tracer = trace.getTracer('@ecom/kafka');

/** the W3C trace context header, as kafka carries it between services */
export const TRACEPARENT = 'traceparent';

/**
 * the active span's trace context (a W3C traceparent), to store with an event in the outbox: the
 * relay sends the event later, in a batch, outside any request, and this is how its message still
 * belongs to the request that caused it. undefined outside a sampled span.
 */
export function currentTraceparent(): string | undefined {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier[TRACEPARENT];
}

const contextOf = (traceparent: string | undefined): Context | undefined =>
  traceparent ? propagation.extract(ROOT_CONTEXT, { [TRACEPARENT]: traceparent }) : undefined;

/**
 * a producer span per event, child of the context stored with it, whose own context goes into the
 * message's headers; ended by the returned function once kafka took the batch (or refused it).
 * events stored without a context (from before tracing, or unsampled) get neither.
 */
export function publishSpans(
  events: readonly { readonly topic: string; readonly traceparent?: string | null }[],
  headersOf: (index: number) => IHeaders,
): (error?: unknown) => void {
  const spans: Span[] = [];
  events.forEach((e, i) => {
    const parent = contextOf(e.traceparent ?? undefined);
    if (!parent || !trace.getSpanContext(parent)) return;
    const span = tracer.startSpan(
      `publish ${e.topic}`,
      {
        kind: SpanKind.PRODUCER,
        attributes: { 'messaging.system': 'kafka', 'messaging.operation.type': 'send', 'messaging.destination.name': e.topic },
      },
      parent,
    );
    propagation.inject(trace.setSpan(parent, span), headersOf(i));
    spans.push(span);
  });
  return (error) => {
    for (const span of spans) {
      if (error) span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message ?? String(error) });
      span.end();
    }
  };
}

export interface ConsumedMessage {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly group: string;
  readonly headers?: IHeaders;
}

/**
 * runs a message's processing in a consumer span that continues the trace its headers carry, so the
 * handler's queries and the events it stages belong to the same trace as the request that started
 * the chain. the span fails when the outcome says so.
 */
export async function inConsumerSpan<T>(message: ConsumedMessage, work: (span: Span) => Promise<T>): Promise<T> {
  const parent = parentOf(message);
  const span = tracer.startSpan(`process ${message.topic}`, { kind: SpanKind.CONSUMER, attributes: consumerAttributes(message) }, parent);
  try {
    return await context.with(trace.setSpan(parent, span), () => work(span));
  } catch (e) {
    span.setStatus({ code: SpanStatusCode.ERROR, message: (e as Error).message });
    throw e;
  } finally {
    span.end();
  }
}

/** the context a message's traceparent header names */
function parentOf(message: ConsumedMessage): Context {
  const carrier: Record<string, string> = {};
  const header = message.headers?.[TRACEPARENT];
  if (header !== undefined) carrier[TRACEPARENT] = String(Array.isArray(header) ? header[0] : header);
  return propagation.extract(ROOT_CONTEXT, carrier);
}

function consumerAttributes(message: ConsumedMessage): Attributes {
  return {
    'messaging.system': 'kafka',
    'messaging.operation.type': 'process',
    'messaging.destination.name': message.topic,
    'messaging.destination.partition.id': String(message.partition),
    'messaging.kafka.offset': Number(message.offset),
    'messaging.consumer.group.name': message.group,
  };
}

/**
 * a batch's consumer spans: one per message, each continuing its own trace as inConsumerSpan does,
 * so every order's trace still shows the step. the batch's work runs under the first message's span
 * (its queries serve them all, and a span has one parent); each span carries the batch's size. a
 * batch of one is inConsumerSpan.
 */
export async function inConsumerSpans<T>(messages: readonly ConsumedMessage[], work: (spans: Span[]) => Promise<T>): Promise<T> {
  if (messages.length === 1) return inConsumerSpan(messages[0], (span) => work([span]));
  const started = messages.map((message) => {
    const parent = parentOf(message);
    const span = tracer.startSpan(
      `process ${message.topic}`,
      { kind: SpanKind.CONSUMER, attributes: { ...consumerAttributes(message), 'messaging.batch.message_count': messages.length } },
      parent,
    );
    return { span, parent };
  });
  const spans = started.map((s) => s.span);
  try {
    return await context.with(trace.setSpan(started[0].parent, spans[0]), () => work(spans));
  } catch (e) {
    for (const span of spans) span.setStatus({ code: SpanStatusCode.ERROR, message: (e as Error).message });
    throw e;
  } finally {
    for (const span of spans) span.end();
  }
}
