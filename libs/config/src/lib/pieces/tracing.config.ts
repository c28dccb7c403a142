import { z } from 'zod';
import { defineConfig, type ConfigValue } from '../define-config';
import { bool } from '../env';

const endpoint = z
  .string()
  .trim()
  .pipe(z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }))
  .optional();

/**
 * whether a service traces: the standard OpenTelemetry variables that decide it (the SDK reads its
 * other OTEL_* settings, the protocol, the sampler, the batch sizes, itself). tracing runs only
 * where spans go somewhere: an OTLP endpoint or an exporter is named, and the SDK is not disabled
 */
export const tracingConfig = () =>
  defineConfig(
    'tracing',
    z.object({
      OTEL_SDK_DISABLED: bool(false),
      OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: endpoint,
      // otlp, console or none; the SDK rejects any other
      OTEL_TRACES_EXPORTER: z.enum(['otlp', 'console', 'none'], { error: 'must be otlp, console or none' }).optional(),
    }),
    (v) => ({
      enabled:
        !v.OTEL_SDK_DISABLED &&
        (v.OTEL_TRACES_EXPORTER
          ? v.OTEL_TRACES_EXPORTER !== 'none'
          : Boolean(v.OTEL_EXPORTER_OTLP_ENDPOINT || v.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT)),
    }),
  );

export type TracingConfig = ConfigValue<ReturnType<typeof tracingConfig>>;
