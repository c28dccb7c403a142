import { trace } from '@opentelemetry/api';
import { startTracing, stopTracing } from './tracing';

// a factory runs when the module is first required: whether the SDK was loaded at all (on globalThis,
// which a factory hoisted above this file's own declarations can reach)
const loads = globalThis as { sdkLoaded?: boolean };
jest.mock('@opentelemetry/sdk-node', () => {
  (globalThis as { sdkLoaded?: boolean }).sdkLoaded = true;
  return jest.requireActual('@opentelemetry/sdk-node');
});

describe('startTracing', () => {
  afterEach(() => stopTracing());

  it('starts nothing without a backend: spans are not recorded, and the SDK is not even loaded', () => {
    startTracing('probe-service', {});
    expect(loads.sdkLoaded).toBeUndefined();
    const span = trace.getTracer('test').startSpan('GET /things');
    expect(span.isRecording()).toBe(false);
    span.end();
  });

  it('starts the SDK when an OTLP endpoint is configured, and stops it', async () => {
    // nothing listens there: the one span's export fails quietly at stopTracing
    startTracing('probe-service', { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:1' });
    expect(loads.sdkLoaded).toBe(true);
    const span = trace.getTracer('test').startSpan('GET /things');
    expect(span.isRecording()).toBe(true);
    expect(span.spanContext().traceId).toMatch(/^[0-9a-f]{32}$/);
    span.end();
    await expect(stopTracing()).resolves.toBeUndefined();
  });
});
