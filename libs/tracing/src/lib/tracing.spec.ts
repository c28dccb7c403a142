import { trace } from '@opentelemetry/api';
import { startTracing, stopTracing } from './tracing';

describe('startTracing', () => {
  afterEach(() => stopTracing());

  it('starts nothing without a backend: spans are not recorded', () => {
    startTracing('probe-service', {});
    const span = trace.getTracer('test').startSpan('GET /things');
    expect(span.isRecording()).toBe(false);
    span.end();
  });

  it('starts the SDK when an OTLP endpoint is configured, and stops it', async () => {
    // nothing listens there: the one span's export fails quietly at stopTracing
    startTracing('probe-service', { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:1' });
    const span = trace.getTracer('test').startSpan('GET /things');
    expect(span.isRecording()).toBe(true);
    expect(span.spanContext().traceId).toMatch(/^[0-9a-f]{32}$/);
    span.end();
    await expect(stopTracing()).resolves.toBeUndefined();
  });
});
