import { exportsSpans } from './tracing';

describe('exportsSpans', () => {
  it('exports only where an OTLP endpoint or an exporter is configured', () => {
    expect(exportsSpans({})).toBe(false);
    expect(exportsSpans({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' })).toBe(true);
    expect(exportsSpans({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://collector:4318/v1/traces' })).toBe(true);
    expect(exportsSpans({ OTEL_TRACES_EXPORTER: 'console' })).toBe(true);
  });

  it('lets OTEL_TRACES_EXPORTER=none win over an endpoint', () => {
    expect(exportsSpans({ OTEL_TRACES_EXPORTER: 'none', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' })).toBe(false);
  });
});
