import { Logger } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ShutdownState } from '@ecom/health';
import { stopTracing } from '@ecom/tracing';
import { closeManagementServer } from './management';

export interface ShutdownOptions {
  /** after this the process exits 1 whatever is still running (ServiceConfig.shutdownTimeoutMs) */
  readonly timeoutMs: number;
  readonly exit?: (code: number) => void;
}

export type Shutdown = (signal: string) => Promise<void>;

// the runtime passes the signal on to onApplicationShutdown hooks; the public interface omits it
type ClosesWithSignal = { close(signal?: string): Promise<void> };

/**
 * the shutdown sequence, run once however many signals arrive: readiness 503 at once;
 * http closed and drained; only then app.close(), whose hooks stop kafka consumers and
 * datastores (nest's own order would destroy those before in-flight requests finish); the management
 * listener last, so metrics and the readiness details stay readable while the service drains; then
 * the spans still buffered are sent.
 */
export function gracefulShutdown(
  app: NestFastifyApplication,
  { timeoutMs, exit = (code) => process.exit(code) }: ShutdownOptions,
): Shutdown {
  const logger = new Logger('Shutdown');
  let running: Promise<void> | undefined;
  let exited = false;
  let deadline: NodeJS.Timeout | undefined;
  const finish = (code: number) => {
    if (exited) return;
    exited = true;
    clearTimeout(deadline);
    exit(code);
  };

  const run = async (signal: string) => {
    logger.log(`${signal} received, draining (limit ${timeoutMs} ms)`);
    app.get(ShutdownState).begin();
    deadline = setTimeout(() => {
      logger.error(`shutdown still running after ${timeoutMs} ms, exiting`);
      finish(1);
    }, timeoutMs);
    try {
      await app.getHttpAdapter().getInstance().close();
      await (app as unknown as ClosesWithSignal).close(signal);
      await closeManagementServer(app);
      await stopTracing();
      logger.log('shutdown complete');
      finish(0);
    } catch (e) {
      logger.error(`shutdown failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      finish(1);
    }
  };

  return (signal) => {
    if (running) logger.log(`${signal} received again; shutdown already in progress`);
    running ??= run(signal);
    return running;
  };
}
