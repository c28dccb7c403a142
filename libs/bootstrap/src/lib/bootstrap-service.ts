import { Logger } from '@nestjs/common';
import { readEnv, type ConfigPiece } from '@ecom/config';
import { createServiceApp } from './create-service-app';
import { gracefulShutdown } from './graceful-shutdown';
import { DOCS_PATH } from './openapi';
import { loadServiceConfig } from './service-config';
import type { ServiceOptions } from './service-options';
import { describeStartupError } from './startup-error';

const SIGNALS = ['SIGTERM', 'SIGINT'] as const;

/** the whole main.ts of a service: config, app, listen, graceful shutdown. exits 1 if it cannot start */
export async function bootstrapService<const P extends readonly ConfigPiece[]>(opts: ServiceOptions<P>): Promise<void> {
  try {
    const config = loadServiceConfig(opts, readEnv());
    const app = await createServiceApp(opts, { config });
    const shutdown = gracefulShutdown(app, { timeoutMs: config.service.shutdownTimeoutMs });
    // our handlers, not nest's enableShutdownHooks: see gracefulShutdown for the order
    for (const signal of SIGNALS) process.on(signal, () => void shutdown(signal));

    const { host, port } = config.http;
    await app.listen({ host, port });
    const url = `http://${host === '0.0.0.0' || host === '::' ? 'localhost' : host}:${port}`;
    new Logger('Bootstrap').log(`${opts.name} listening on ${url} (docs ${url}/${DOCS_PATH}, readiness ${url}/health/ready)`);
  } catch (error) {
    process.stderr.write(`${describeStartupError(opts.name, error)}\n`);
    process.exit(1);
  }
}
