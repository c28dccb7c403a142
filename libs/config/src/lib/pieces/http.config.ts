import { z } from 'zod';
import { defineConfig, type ConfigValue } from '../define-config';
import { port, text } from '../env';

export const httpConfig = (defaultPort: number) =>
  defineConfig(
    'http',
    z.object({ HTTP_HOST: text('0.0.0.0'), HTTP_PORT: port(defaultPort) }),
    (v) => ({ host: v.HTTP_HOST, port: v.HTTP_PORT }),
  );

export type HttpConfig = ConfigValue<ReturnType<typeof httpConfig>>;
