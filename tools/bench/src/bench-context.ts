import type { Platform } from '@ecom/testing';

/** what every workload gets: the platform under test and the run's settings */
export interface Bench {
  readonly platform: Platform;
  /** how long each measurement runs */
  readonly seconds: number;
  /** an admin's bearer token (Bearer …), live for as long as the run lasts */
  readonly admin: string;
  /** the orders/s the saga workload steps through */
  readonly rates: readonly number[];
  /** the saga's catalogs: one hot SKU, 10k products spread, or both */
  readonly catalogs: readonly ('hot' | 'spread')[];
  /** --profile: where each process writes its cpu profile when it stops, baselines included */
  readonly profiles?: string;
  /** a port for a baseline server, next to the platform's */
  port(name: 'baseline'): number;
  /** progress, one line */
  step(message: string): void;
}
