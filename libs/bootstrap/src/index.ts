export * from './lib/bootstrap-service';
export * from './lib/create-service-app';
export * from './lib/graceful-shutdown';
export { managementServer } from './lib/management';
export { DOCS_PATH } from './lib/openapi';
export * from './lib/service-config';
export * from './lib/service-options';
export * from './lib/startup-error';
export { ServiceModule } from './lib/service.module';
