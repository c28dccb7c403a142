export * from './lib/health.module';
export * from './lib/health.registry';
export * from './lib/health.controller';
export * from './lib/readiness';
export * from './lib/shutdown.state';
export * from './lib/constants';
export * from './lib/probe';
