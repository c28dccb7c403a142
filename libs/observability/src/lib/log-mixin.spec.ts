import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { TracerProvider } from '@opentelemetry/sdk-trace';
import pino from 'pino';
import { runWithCorrelation } from './correlation';
import { correlationMixin } from './log-mixin';

describe('correlationMixin', () => {
  const provider = new TracerProvider();
  beforeAll(() => {
    trace.setGlobalTracerProvider(provider);
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  });
  afterAll(() => {
    trace.disable();
    context.disable();
  });
  const logger = pino({ enabled: false });

  it("stamps the active span's trace and span ids beside the correlation id", () => {
    trace.getTracer('test').startActiveSpan('process order.placed', (span) => {
      const { traceId, spanId } = span.spanContext();
      expect(runWithCorrelation('c-1', () => correlationMixin({}, 30, logger))).toEqual({ traceId, spanId, correlationId: 'c-1' });
      span.end();
    });
  });

  it('adds nothing outside a span and a correlation', () => {
    expect(correlationMixin({}, 30, logger)).toEqual({});
  });
});
