export * from './rate-limited';
export * from './rate-limit.guard';
export * from './rate-limit.decorator';
export * from './rate-limits.module';
export * from './fail-open.storage';
