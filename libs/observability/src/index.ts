export * from './lib/correlation';
export * from './lib/constants';
export * from './lib/correlation-id';
export * from './lib/logger.params';
export * from './lib/observability.module';
export * from './lib/metrics/metrics';
export * from './lib/metrics/http-metrics.hook';
export * from './lib/redact-url';
