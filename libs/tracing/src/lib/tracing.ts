import { NodeSDK } from '@opentelemetry/sdk-node';
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
 * http/protobuf) turns it on, OTEL_TRACES_SAMPLER(_ARG) samples, OTEL_SDK_DISABLED=true keeps it off.
 * without an endpoint nothing starts: a span per request and per query, exported nowhere, cost the
 * cached product read more than half its throughput (docs/performance.md). metrics stay with
 * prometheus (prom-client), logs with pino.
 */
export function startTracing(serviceName: string, env: NodeJS.ProcessEnv = process.env): void {
  if (sdk || env['OTEL_SDK_DISABLED'] === 'true' || !exportsSpans(env)) return;
  // the sdk's own metrics and log exports would otherwise default to an OTLP endpoint as well
  env['OTEL_METRICS_EXPORTER'] ??= 'none';
  env['OTEL_LOGS_EXPORTER'] ??= 'none';
  sdk = new NodeSDK({
    serviceName,
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
