import { collectDefaultMetrics, Histogram, Registry } from 'prom-client';
import { ConnectionPools } from './connection-pools';

/** seconds; from 5 ms to 10 s, for requests and event handling alike */
export const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * the service's prometheus registry. one per app rather than prom-client's global
 * register, so tests can build several apps in one process. other libs inject this
 * to add their own metrics (deploy/monitoring/README.md lists them all). names and labels
 * follow the OpenTelemetry semantic conventions as prometheus writes them.
 */
export class Metrics {
  readonly registry = new Registry();

  readonly httpDuration = new Histogram({
    name: 'http_server_request_duration_seconds',
    help: 'http requests by method, route pattern and status code',
    labelNames: ['http_request_method', 'http_route', 'http_response_status_code'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });

  /** store libraries register their clients' pools here */
  readonly pools = new ConnectionPools(this.registry);

  constructor(serviceName: string) {
    this.registry.setDefaultLabels({ service: serviceName });
    collectDefaultMetrics({ register: this.registry });
  }
}
