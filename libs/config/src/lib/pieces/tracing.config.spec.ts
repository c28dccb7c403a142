import { ConfigValidationError, loadConfig } from '../define-config';
import { tracingConfig } from './tracing.config';

const enabled = (env: Record<string, string>) => loadConfig([tracingConfig()], env).tracing.enabled;

describe('tracingConfig', () => {
  it('traces only where spans go somewhere: an OTLP endpoint or an exporter named', () => {
    expect(enabled({})).toBe(false);
    expect(enabled({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' })).toBe(true);
    expect(enabled({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://collector:4318/v1/traces' })).toBe(true);
    expect(enabled({ OTEL_TRACES_EXPORTER: 'console' })).toBe(true);
  });

  it('lets OTEL_TRACES_EXPORTER=none and OTEL_SDK_DISABLED win over an endpoint', () => {
    expect(enabled({ OTEL_TRACES_EXPORTER: 'none', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' })).toBe(false);
    expect(enabled({ OTEL_SDK_DISABLED: 'true', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' })).toBe(false);
  });

  it('names a bad value', () => {
    expect(() => enabled({ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' })).toThrow(ConfigValidationError);
    expect(() => enabled({ OTEL_TRACES_EXPORTER: 'jaeger' })).toThrow(/OTEL_TRACES_EXPORTER: must be otlp, console or none/);
  });
});
