import { Injectable } from '@nestjs/common';

/** flips once, when the service starts shutting down; readiness answers 503 from then on */
@Injectable()
export class ShutdownState {
  private shuttingDown = false;

  get isShuttingDown(): boolean {
    return this.shuttingDown;
  }

  begin(): void {
    this.shuttingDown = true;
  }
}
