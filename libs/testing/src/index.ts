export * from './lib/wait-for';
export * from './lib/temp-postgres';
export * from './lib/read-topic';
export * from './lib/readiness';
export * from './lib/stack-control';
export * from './lib/service-on-stack';
export * from './lib/tokens';
export * from './lib/openapi-gaps';
