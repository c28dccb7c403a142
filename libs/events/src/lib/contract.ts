import type { z } from 'zod';

/** turns a payload of version n into one of version n + 1 */
export type Upcaster = (payload: unknown) => unknown;

/** what a topic carries: one event type at one current version, plus how to read older versions */
export interface Contract<S extends z.ZodType = z.ZodType> {
  readonly type: string;
  /** the version this code produces; bump it only for a change that old payloads do not survive */
  readonly version: number;
  readonly schema: S;
  /** keyed by the version they read: upcasters[1] turns v1 into v2, upcasters[2] turns v2 into v3 */
  readonly upcasters?: Readonly<Record<number, Upcaster>>;
}
