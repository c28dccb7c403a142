// loaded before the app's modules (main.ts imports it right after defer-icu, which loads @nestjs/common
// alone): the instrumentations patch the http server and the store drivers as they load, which is too late
// once the app's modules have loaded them
import { startTracing } from '@ecom/tracing';
import { SERVICE } from './app/notification.config';

startTracing(SERVICE);
