import { z } from 'zod';
import { defineConfig, type ConfigValue } from '../define-config';
import { port, text } from '../env';

export const httpConfig = (defaultPort: number) =>
  defineConfig(
    'http',
    z.object({
      HTTP_HOST: text('0.0.0.0'),
      HTTP_PORT: port(defaultPort),
      // whose X-Forwarded-For to believe (the gateway, the ingress); proxy-addr names or cidrs.
      // the client ip drives rate limits, so it must not be taken from anyone who sends the header
      HTTP_TRUST_PROXY: text('loopback'),
    }),
    (v) => ({ host: v.HTTP_HOST, port: v.HTTP_PORT, trustProxy: v.HTTP_TRUST_PROXY.split(',').map((s) => s.trim()) }),
  );

export type HttpConfig = ConfigValue<ReturnType<typeof httpConfig>>;
