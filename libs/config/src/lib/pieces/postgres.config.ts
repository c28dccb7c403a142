import { z } from 'zod';
import { defineConfig, type ConfigValue } from '../define-config';
import { port, positiveInt, text } from '../env';
import { caFilePath } from './tls';

export const postgresConfig = (database: string) =>
  defineConfig(
    'postgres',
    z.object({
      POSTGRES_HOST: text('127.0.0.1'),
      POSTGRES_PORT: port(5432),
      POSTGRES_USER: text('ecom'),
      POSTGRES_PASSWORD: text('ecom'),
      POSTGRES_DB: text(database),
      POSTGRES_POOL_SIZE: positiveInt(20),
      // the CA that signed the server's certificate (PEM file), for TLS with the certificate and host name
      // checked, as CloudNativePG serves it; unset: no TLS (the local stack)
      POSTGRES_SSL_CA_FILE: caFilePath(),
    }),
    (v) => ({
      host: v.POSTGRES_HOST,
      port: v.POSTGRES_PORT,
      username: v.POSTGRES_USER,
      password: v.POSTGRES_PASSWORD,
      database: v.POSTGRES_DB,
      poolSize: v.POSTGRES_POOL_SIZE,
      sslCaFile: v.POSTGRES_SSL_CA_FILE,
    }),
  );

export type PostgresConfig = ConfigValue<ReturnType<typeof postgresConfig>>;
