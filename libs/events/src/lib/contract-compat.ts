import { isDeepStrictEqual } from 'node:util';
import { z } from 'zod';
import type { Contract } from './contract';
import { EventValidationError, issuesOf } from './event-validation.error';
import { upcast } from './upcast';

export const UPDATE_COMMAND = 'UPDATE_CONTRACTS=1 npx nx test events';

/** what the snapshot keeps of a topic: enough to judge the next change against */
export interface ContractRecord {
  readonly type: string;
  readonly version: number;
  /** JSON Schema of what a consumer accepts (zod's input side) */
  readonly schema: unknown;
  /** payloads of that version; every later version must still read them */
  readonly examples: readonly unknown[];
}

export interface ContractProblem {
  readonly topic: string;
  /** breaking: consumers or old events would fail; unrecorded: fine, but the snapshot is behind */
  readonly kind: 'breaking' | 'unrecorded';
  readonly message: string;
}

export function recordOf(contract: Contract, examples: readonly unknown[]): ContractRecord {
  const schema = z.toJSONSchema(contract.schema, { io: 'input' });
  // through JSON, so it compares equal to what is read back from the snapshot file
  return JSON.parse(JSON.stringify({ type: contract.type, version: contract.version, schema, examples }));
}

/** judges a contract as it is now against what the snapshot recorded of it */
export function contractProblems(
  topic: string,
  contract: Contract,
  examples: readonly unknown[],
  recorded?: ContractRecord,
): ContractProblem[] {
  const breaking = (message: string): ContractProblem => ({ topic, kind: 'breaking', message: `${topic}: ${message}` });
  const problems = [...ownProblems(contract, examples).map(breaking)];
  if (!recorded) return [...problems, { topic, kind: 'unrecorded', message: `${topic}: not in the snapshot yet; run ${UPDATE_COMMAND}` }];
  problems.push(...changeProblems(contract, examples, recorded).map(breaking));
  if (problems.length === 0 && !isDeepStrictEqual(recordOf(contract, examples), recorded)) {
    const message = `${topic}: a compatible change (v${contract.version}) is not in the snapshot yet; run ${UPDATE_COMMAND} and commit it`;
    problems.push({ topic, kind: 'unrecorded', message });
  }
  return problems;
}

function ownProblems(contract: Contract, examples: readonly unknown[]): string[] {
  const problems = examples.length === 0 ? ['no example payload; add one to contract-examples.ts'] : [];
  problems.push(...failures(contract.schema, examples, (i, issues) => `example ${i} does not match its own schema: ${issues}`));
  for (const path of strictObjects(z.toJSONSchema(contract.schema, { io: 'input' }))) {
    const fix = "use z.object (it strips them), not .strict() or z.strictObject, so a newer producer's additions are tolerated";
    problems.push(`the object at ${path} rejects unknown fields; ${fix}`);
  }
  for (const v of Object.keys(contract.upcasters ?? {}).map(Number)) {
    if (!(v >= 1 && v < contract.version)) problems.push(`upcasters[${v}] reads a version that is not older than v${contract.version}`);
  }
  return problems;
}

function changeProblems(contract: Contract, examples: readonly unknown[], recorded: ContractRecord): string[] {
  const [was, now] = [recorded.version, contract.version];
  if (recorded.type !== contract.type) {
    return [`the event type changed from ${recorded.type} to ${contract.type}; a topic keeps one type, add a topic instead`];
  }
  if (now < was) return [`the version went back from v${was} to v${now}; versions only go up`];
  if (now > was) return [...new Set(recorded.examples.flatMap((example, i) => upcastProblems(contract, was, example, i)))];
  const changed = 'changed incompatibly without a version bump';
  const fix = `keep the change additive (a new field must be optional; keep old fields as they are), or bump the version to v${now + 1} and add upcasters[${now}]; then run ${UPDATE_COMMAND}`;
  // old events must still parse, and consumers still on the recorded schema must read what is produced now
  const before = z.fromJSONSchema(recorded.schema as z.core.JSONSchema.JSONSchema);
  return [
    ...failures(
      contract.schema,
      recorded.examples,
      (i, issues) => `${changed}: recorded v${was} example ${i} no longer parses (${issues}); ${fix}`,
    ),
    ...failures(
      before,
      examples,
      (i, issues) => `${changed}: consumers still on the recorded v${was} schema reject example ${i} (${issues}); ${fix}`,
    ),
  ];
}

function failures(schema: z.ZodType, examples: readonly unknown[], say: (i: number, issues: string) => string): string[] {
  return examples.flatMap((example, i) => {
    const res = schema.safeParse(example);
    return res.success ? [] : [say(i, issuesOf(res.error).join('; '))];
  });
}

function upcastProblems(contract: Contract, from: number, example: unknown, i: number): string[] {
  const fix = `then run ${UPDATE_COMMAND}`;
  let payload: unknown;
  try {
    payload = upcast(contract, from, example);
  } catch (e) {
    if (!(e instanceof EventValidationError)) throw e;
    return [
      `bumped from v${from} to v${contract.version} but v${from} events cannot be read: ${e.message}; add or fix the upcaster, ${fix}`,
    ];
  }
  return failures(
    contract.schema,
    [payload],
    (_, issues) => `recorded v${from} example ${i}, upcast to v${contract.version}, does not parse: ${issues}; fix the upcaster, ${fix}`,
  );
}

/** paths of objects that reject unknown keys, in a JSON Schema */
export function strictObjects(schema: unknown, path = 'payload'): string[] {
  if (Array.isArray(schema)) return schema.flatMap((s, i) => strictObjects(s, `${path}.${i}`));
  if (typeof schema !== 'object' || schema === null) return [];
  return Object.entries(schema).flatMap(([key, value]) => {
    if (key === 'additionalProperties' && value === false) return [path];
    const next = key === 'properties' ? path : key === 'items' ? `${path}[]` : `${path}.${key}`;
    return strictObjects(value, next);
  });
}
