import { Logger } from '@nestjs/common';
import { readEnv, type ConfigPiece } from '@ecom/config';
import { createServiceApp } from './create-service-app';
import { gracefulShutdown } from './graceful-shutdown';
import { managementServer } from './management';
import { releaseStartupMemory } from './release-startup-memory';
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

    const { host, port, management } = config.http;
    await app.listen({ host, port });
    await managementServer(app).listen({ host: management.host, port: management.port });
    const url = urlOf(host, port);
    const internal = urlOf(management.host, management.port);
    const logger = new Logger('Bootstrap');
    logger.log(
      `${opts.name} listening on ${url} (readiness ${url}/health/ready); management on ${internal} (metrics ${internal}/metrics, docs ${internal}/${DOCS_PATH})`,
    );
    const released = releaseStartupMemory();
    logger.log(`start-up heap given back: RSS ${released.rssBeforeMb} → ${released.rssAfterMb} MB, in ${Math.round(released.ms)} ms`);
  } catch (error) {
    process.stderr.write(`${describeStartupError(opts.name, error)}\n`);
    process.exit(1);
  }
}

const urlOf = (host: string, port: number) => `http://${host === '0.0.0.0' || host === '::' ? 'localhost' : host}:${port}`;
