export * from './lib/problem';
export * from './lib/problem.filter';
export * from './lib/validation-errors';
export * from './lib/pagination';
export * from './lib/json-depth';
export * from './lib/json-text';
export * from './lib/page.openapi';
export * from './lib/rate-limits';
