import { OUTBOX_NUDGE_LINGER_MS } from './constants';
import { RelayLoop } from './relay-loop';

/** a relay whose rounds the test drives: each round waits until the test lets it finish */
class ScriptedRelay extends RelayLoop {
  rounds = 0;
  private release?: () => void;
  roundStarted?: () => void;

  protected relayOnce(): Promise<number> {
    this.rounds++;
    this.roundStarted?.();
    return new Promise((resolve) => (this.release = () => resolve(1)));
  }

  finishRound(): void {
    this.release?.();
  }
}

const tick = () => new Promise((r) => setImmediate(r));

describe('RelayLoop', () => {
  // the idle poll's timer never fires unless a test advances it
  beforeEach(() => jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'] }));
  afterEach(() => jest.useRealTimers());

  it('goes round again after a short linger when nudged during a round, instead of waiting for the idle poll', async () => {
    const relay = new ScriptedRelay();
    const started = new Promise<void>((r) => (relay.roundStarted = r));
    relay.start();
    await started;
    // a commit lands while the first round is sending: its events may be after that round's read
    relay.nudge();
    const second = new Promise<void>((r) => (relay.roundStarted = r));
    relay.finishRound();
    for (let i = 0; i < 5; i++) await tick();
    // it lingers, and more commits' nudges do not cut that short: they go out in the same round
    relay.nudge();
    for (let i = 0; i < 5; i++) await tick();
    expect(relay.rounds).toBe(1);
    // the linger is OUTBOX_NUDGE_LINGER_MS, far below the idle poll's 500 ms
    jest.advanceTimersByTime(OUTBOX_NUDGE_LINGER_MS);
    await second;
    expect(relay.rounds).toBe(2);
    relay.finishRound();
    await tick();
    const stopping = relay.stop();
    relay.finishRound();
    await stopping;
  });

  it('waits for the idle poll after a round nobody nudged during', async () => {
    const relay = new ScriptedRelay();
    const started = new Promise<void>((r) => (relay.roundStarted = r));
    relay.start();
    await started;
    relay.finishRound();
    for (let i = 0; i < 5; i++) await tick();
    expect(relay.rounds).toBe(1);
    jest.advanceTimersByTime(499);
    for (let i = 0; i < 5; i++) await tick();
    expect(relay.rounds).toBe(1);
    // and a nudge while idle wakes it
    const second = new Promise<void>((r) => (relay.roundStarted = r));
    relay.nudge();
    await second;
    expect(relay.rounds).toBe(2);
    const stopping = relay.stop();
    relay.finishRound();
    await stopping;
  });
});
