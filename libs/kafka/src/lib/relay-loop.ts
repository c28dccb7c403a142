import { Logger } from '@nestjs/common';
import { OUTBOX_BATCH_SIZE, OUTBOX_IDLE_POLL_MS, OUTBOX_MAX_BACKOFF_MS, OUTBOX_NUDGE_LINGER_MS } from './constants';

/**
 * the shared shape of both outbox relays: drain in batches, sleep when idle (woken early by
 * nudge after a local commit), back off while kafka or the store fails, stop cleanly.
 */
export abstract class RelayLoop {
  protected readonly log = new Logger(this.constructor.name);
  private running?: Promise<void>;
  private stopped = false;
  private wake?: () => void;
  // a nudge while a round runs: the events it announces may have committed after the round's read
  private nudged = false;
  // the short wait after a nudged round: more nudges do not end it, so commits gather into one batch
  private lingering = false;

  /** sends one batch; returns how many events went out */
  protected abstract relayOnce(): Promise<number>;

  start(): void {
    this.stopped = false;
    this.running ??= this.loop();
  }

  nudge(): void {
    this.nudged = true;
    if (!this.lingering) this.wake?.();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.running;
    this.running = undefined;
  }

  private async loop(): Promise<void> {
    let failures = 0;
    while (!this.stopped) {
      let sent = 0;
      this.nudged = false;
      try {
        sent = await this.relayOnce();
        if (failures > 0) this.log.log({ afterFailures: failures }, 'outbox relay recovered');
        failures = 0;
      } catch (e) {
        failures++;
        const wait = Math.min(100 * 2 ** failures, OUTBOX_MAX_BACKOFF_MS);
        this.log.warn({ failures, retryInMs: wait, err: (e as Error).message }, 'outbox relay failed; events stay in the outbox');
        await this.sleep(wait);
        continue;
      }
      if (sent >= OUTBOX_BATCH_SIZE) continue;
      // a nudge that came during the round goes round again after a short linger, not the idle poll
      this.lingering = this.nudged;
      await this.sleep(this.nudged ? OUTBOX_NUDGE_LINGER_MS : OUTBOX_IDLE_POLL_MS);
      this.lingering = false;
    }
  }

  private sleep(ms: number): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }
}
