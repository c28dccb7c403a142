import { NodeSDK } from '@opentelemetry/sdk-node';
import { NoopSpanProcessor } from '@opentelemetry/sdk-trace';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { MongoDBInstrumentation } from '@opentelemetry/instrumentation-mongodb';
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import { CassandraDriverInstrumentation } from '@opentelemetry/instrumentation-cassandra-driver';

// requests that are not the service's work: probes and scrapes
const UNTRACED = /^\/(health|metrics)\b|\/health(\/|$)/;

let sdk: NodeSDK | undefined;

/** where spans go: the OTLP endpoint (or an exporter) the standard OTEL_* variables name, else nowhere */
export function exportsSpans(env: NodeJS.ProcessEnv = process.env): boolean {
  const exporter = env['OTEL_TRACES_EXPORTER'];
  if (exporter) return exporter !== 'none';
  return Boolean(env['OTEL_EXPORTER_OTLP_ENDPOINT'] || env['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT']);
}

/**
 * OpenTelemetry for a service: the http server and client, pg, mongodb, ioredis and cassandra-driver
 * instrumented (elasticsearch's client makes its own spans), W3C trace context propagated, kafka
 * carried by @ecom/kafka (the outbox keeps each event's context, the relay sends it as traceparent).
 * it must run before any of those modules loads, so each service's main.ts imports its tracing.ts
 * first. configured by the standard variables: OTEL_EXPORTER_OTLP_ENDPOINT (and _PROTOCOL, default
 * http/protobuf) to export, OTEL_TRACES_SAMPLER(_ARG) to sample, OTEL_SDK_DISABLED=true to turn it
 * off. without an endpoint, spans are made but not exported, so logs and events still carry trace
 * ids. metrics stay with prometheus (prom-client), logs with pino.
 */
export function startTracing(serviceName: string, env: NodeJS.ProcessEnv = process.env): void {
  if (sdk || env['OTEL_SDK_DISABLED'] === 'true') return;
  // the sdk's own metrics and log exports would otherwise default to an OTLP endpoint as well
  env['OTEL_METRICS_EXPORTER'] ??= 'none';
  env['OTEL_LOGS_EXPORTER'] ??= 'none';
  sdk = new NodeSDK({
    serviceName,
    // with no exporter, a processor that drops the spans: the tracer provider still gives them ids
    ...(exportsSpans(env) ? {} : { spanProcessors: [new NoopSpanProcessor()] }),
    instrumentations: [
      new HttpInstrumentation({ ignoreIncomingRequestHook: (req) => UNTRACED.test(req.url ?? '') }),
      new PgInstrumentation({ requireParentSpan: true }),
      new MongoDBInstrumentation({ requireParentSpan: true }),
      new IORedisInstrumentation({ requireParentSpan: true }),
      new CassandraDriverInstrumentation(),
    ],
  });
  sdk.start();
}

/** sends what is buffered and stops; the last step of a graceful shutdown */
export async function stopTracing(): Promise<void> {
  const stopping = sdk;
  sdk = undefined;
  await stopping?.shutdown().catch(() => undefined);
}
