import type { INestApplication, ModuleMetadata } from '@nestjs/common';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { MetricsModule } from '@ecom/observability';
import { startEventConsumers } from '../src';

/** the test's modules as a service runs them: their @EventHandler methods served by the kafka transport */
export async function consumerApp(imports: NonNullable<ModuleMetadata['imports']>): Promise<INestApplication> {
  const moduleRef = await Test.createTestingModule({ imports: [MetricsModule.forRoot('consumer-test'), ...imports] }).compile();
  const app = moduleRef.createNestApplication(new FastifyAdapter());
  await app.init();
  await startEventConsumers(app);
  return app;
}
