import type { Role } from '@ecom/auth';
import { bearerFor } from '@ecom/testing';

// tokens live 10 minutes (bearerFor); a full run lasts longer, so each is signed again well before
const RESIGN_EVERY_MS = 5 * 60_000;

/** a bearer token that stays valid however long the run lasts: `value` is always a live one */
export class FreshBearer {
  private readonly timer: NodeJS.Timeout;

  private constructor(
    private token: string,
    role: Role,
    sub: string,
  ) {
    this.timer = setInterval(() => {
      void bearerFor(role, sub).then((t) => (this.token = t));
    }, RESIGN_EVERY_MS);
    this.timer.unref();
  }

  static async of(role: Role, sub: string): Promise<FreshBearer> {
    return new FreshBearer(await bearerFor(role, sub), role, sub);
  }

  get value(): string {
    return this.token;
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
