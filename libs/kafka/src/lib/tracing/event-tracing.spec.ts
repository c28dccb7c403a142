import { context, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import type { IHeaders } from 'kafkajs';
import { currentTraceparent, inConsumerSpan, publishSpans, TRACEPARENT } from './event-tracing';

describe('trace context through the outbox and kafka', () => {
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });
  const manager = new AsyncLocalStorageContextManager().enable();
  const tracer = trace.getTracer('test');

  beforeAll(() => {
    trace.setGlobalTracerProvider(provider);
    context.setGlobalContextManager(manager);
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  });
  afterAll(async () => {
    await provider.shutdown();
    trace.disable();
    context.disable();
    propagation.disable();
  });
  beforeEach(() => exporter.reset());

  it('stores the active span as a W3C traceparent, and nothing outside a span', () => {
    expect(currentTraceparent()).toBeUndefined();
    tracer.startActiveSpan('request', (span) => {
      const { traceId, spanId } = span.spanContext();
      expect(currentTraceparent()).toBe(`00-${traceId}-${spanId}-01`);
      span.end();
    });
  });

  it("sends each event in a producer span under its stored context, and the consumer's span continues it", async () => {
    const request = tracer.startSpan('POST /api/orders');
    const stored = context.with(trace.setSpan(context.active(), request), () => currentTraceparent());
    request.end();
    const headers: IHeaders[] = [{}, {}];
    // later, outside the request: the relay's batch, one event with a stored context and one without
    const sent = publishSpans(
      [
        { topic: 'order.placed', traceparent: stored },
        { topic: 'order.placed', traceparent: null },
      ],
      (i) => headers[i],
    );
    sent();
    const [publish] = exporter.getFinishedSpans().filter((s) => s.kind === SpanKind.PRODUCER);
    expect(publish.name).toBe('publish order.placed');
    expect(publish.parentSpanContext?.spanId).toBe(request.spanContext().spanId);
    expect(publish.spanContext().traceId).toBe(request.spanContext().traceId);
    expect(headers[0][TRACEPARENT]).toBe(`00-${publish.spanContext().traceId}-${publish.spanContext().spanId}-01`);
    expect(headers[1]).toEqual({});

    let inside: string | undefined;
    await inConsumerSpan({ topic: 'order.placed', partition: 1, offset: '7', group: 'product-service', headers: headers[0] }, async () => {
      inside = currentTraceparent();
    });
    const consumer = exporter.getFinishedSpans().find((s) => s.kind === SpanKind.CONSUMER);
    expect(consumer?.name).toBe('process order.placed');
    expect(consumer?.parentSpanContext?.spanId).toBe(publish.spanContext().spanId);
    expect(consumer?.attributes).toMatchObject({ 'messaging.consumer.group.name': 'product-service', 'messaging.kafka.offset': 7 });
    // what the handler stages carries the consumer's span: the chain goes on
    expect(inside).toBe(`00-${consumer?.spanContext().traceId}-${consumer?.spanContext().spanId}-01`);
  });

  it('marks the spans of a failed send and of a handler that threw', async () => {
    const parent = tracer.startSpan('request');
    const stored = context.with(trace.setSpan(context.active(), parent), () => currentTraceparent());
    publishSpans([{ topic: 'stock.reserved', traceparent: stored }], () => ({}))(new Error('broker down'));
    await expect(
      inConsumerSpan({ topic: 'stock.reserved', partition: 0, offset: '1', group: 'order-service' }, async () => {
        throw new Error('handler failed');
      }),
    ).rejects.toThrow('handler failed');
    const statuses = exporter.getFinishedSpans().map((s) => [s.name, s.status.code, s.status.message]);
    expect(statuses).toEqual([
      ['publish stock.reserved', SpanStatusCode.ERROR, 'broker down'],
      ['process stock.reserved', SpanStatusCode.ERROR, 'handler failed'],
    ]);
  });
});
