import { z } from 'zod';
import { defineConfig, type ConfigValue } from '../define-config';
import { positiveInt, url } from '../env';

export const mongodbConfig = (database: string) =>
  defineConfig(
    'mongodb',
    z.object({
      MONGODB_URI: url(`mongodb://127.0.0.1:27017/${database}`, /^mongodb(\+srv)?$/),
      MONGODB_POOL_SIZE: positiveInt(20),
    }),
    (v) => ({ uri: v.MONGODB_URI, poolSize: v.MONGODB_POOL_SIZE }),
  );

export type MongoConfig = ConfigValue<ReturnType<typeof mongodbConfig>>;
