import type { NodeSDK } from '@opentelemetry/sdk-node';
import { loadConfig, readEnv, tracingConfig, type Env } from '@ecom/config';

// requests that are not the service's work: probes and scrapes
const UNTRACED = /^\/(health|metrics)\b|\/health(\/|$)/;

let sdk: NodeSDK | undefined;

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
export function startTracing(serviceName: string, env: Env = readEnv()): void {
  if (sdk || !tracingOf(serviceName, env).enabled) return;
  // loaded only when tracing is on: the SDK, its exporters (grpc-js among them) and the instrumentations are
  // some 700 modules, 10 MB of every idle service's heap otherwise (docs/performance.md, change 37)
  const { NodeSDK } = require('@opentelemetry/sdk-node') as typeof import('@opentelemetry/sdk-node');
  const { HttpInstrumentation } = require('@opentelemetry/instrumentation-http') as typeof import('@opentelemetry/instrumentation-http');
  const { PgInstrumentation } = require('@opentelemetry/instrumentation-pg') as typeof import('@opentelemetry/instrumentation-pg');
  const { MongoDBInstrumentation } =
    require('@opentelemetry/instrumentation-mongodb') as typeof import('@opentelemetry/instrumentation-mongodb');
  const { IORedisInstrumentation } =
    require('@opentelemetry/instrumentation-ioredis') as typeof import('@opentelemetry/instrumentation-ioredis');
  const { CassandraDriverInstrumentation } =
    require('@opentelemetry/instrumentation-cassandra-driver') as typeof import('@opentelemetry/instrumentation-cassandra-driver');
  sdk = new NodeSDK({
    serviceName,
    // the sdk's own metrics and log exports would otherwise default to an OTLP endpoint as well
    metricReaders: [],
    logRecordProcessors: [],
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

// a bad variable stops the service here, before its bootstrap (which reports the others) has loaded
function tracingOf(serviceName: string, env: Env) {
  try {
    return loadConfig([tracingConfig()], env).tracing;
  } catch (e) {
    process.stderr.write(`${serviceName}: ${(e as Error).message}\n`);
    process.exit(1);
  }
}

/** sends what is buffered and stops; the last step of a graceful shutdown */
export async function stopTracing(): Promise<void> {
  const stopping = sdk;
  sdk = undefined;
  await stopping?.shutdown().catch(() => undefined);
}
