import { z } from 'zod';
import type { Contract, Upcaster } from './contract';
import { EventValidationError, issuesOf } from './event-validation.error';

/**
 * an upcaster that checks the old payload against that version's schema first, so the step reads
 * typed data. keep the old schema frozen next to the upcaster: it describes what is already on the topic.
 */
export function upcaster<S extends z.ZodType>(from: S, step: (payload: z.output<S>) => unknown): Upcaster {
  return (payload) => step(from.parse(payload));
}

/** brings a payload of an older version to the contract's current one, step by step; not validated yet */
export function upcast(contract: Contract, from: number, payload: unknown): unknown {
  let out = payload;
  for (let v = from; v < contract.version; v++) {
    const step = contract.upcasters?.[v];
    if (!step) {
      throw new EventValidationError(`${contract.type} v${from} cannot be read`, [
        `no upcaster from v${v} to v${v + 1} (current is v${contract.version})`,
      ]);
    }
    try {
      out = step(out);
    } catch (e) {
      const issues = e instanceof z.ZodError ? issuesOf(e) : [e instanceof Error ? e.message : String(e)];
      throw new EventValidationError(`${contract.type} v${from} failed the upcaster from v${v}`, issues);
    }
  }
  return out;
}
