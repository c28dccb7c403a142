import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { Contract } from './contract';
import { contractProblems, recordOf, UPDATE_COMMAND, type ContractProblem, type ContractRecord } from './contract-compat';
import { contractExamples } from './contract-examples';
import { contracts } from './events-map';
import { isTopicName, Topics } from './topics';
import { upcaster } from './upcast';

// the committed record of every contract; changing a contract is judged against it
const SNAPSHOT = join(__dirname, 'contracts.snapshot.json');
const topics = Object.values(Topics);

function readSnapshot(): Record<string, ContractRecord> {
  return existsSync(SNAPSHOT) ? JSON.parse(readFileSync(SNAPSHOT, 'utf8')) : {};
}

describe('contract snapshot', () => {
  const update = process.env['UPDATE_CONTRACTS'] === '1';
  const recorded = readSnapshot();
  const problems: ContractProblem[] = [
    ...topics.flatMap((t) => contractProblems(t, contracts[t], contractExamples[t], recorded[t])),
    ...Object.keys(recorded)
      .filter((t) => !isTopicName(t))
      .map((topic) => ({ topic, kind: 'unrecorded' as const, message: `${topic}: no longer a topic; run ${UPDATE_COMMAND}` })),
  ];

  // UPDATE_CONTRACTS=1 records compatible changes and new topics, never a breaking change
  it(update ? 'records the contracts' : 'has every contract recorded, or changed compatibly', () => {
    expect(
      problems
        .filter((p) => !update || p.kind === 'breaking')
        .map((p) => p.message)
        .join('\n'),
    ).toBe('');
    if (update && problems.length > 0) {
      const next = Object.fromEntries(topics.map((t) => [t, recordOf(contracts[t], contractExamples[t])]));
      writeFileSync(SNAPSHOT, `${JSON.stringify(next, null, 2)}\n`);
    }
  });
});

describe('contractProblems', () => {
  const v1 = z.object({ paymentId: z.string().min(1), cents: z.number().int() });
  const base: Contract = { type: 'payment.captured', version: 1, schema: v1 };
  const examples = [{ paymentId: 'pay-1', cents: 500 }];
  const recorded = recordOf(base, examples);
  const check = (contract: Contract, ex: readonly unknown[] = examples) => contractProblems('payments', contract, ex, recorded);
  const breaking = (contract: Contract, ex?: readonly unknown[]) =>
    check(contract, ex)
      .filter((p) => p.kind === 'breaking')
      .map((p) => p.message)
      .join('\n');

  it('finds nothing when nothing changed', () => {
    expect(check(base)).toEqual([]);
  });

  it('asks to record a new topic', () => {
    expect(contractProblems('payments', base, examples)).toEqual([expect.objectContaining({ kind: 'unrecorded' })]);
  });

  it('lets an optional field in without a bump, and asks to record it', () => {
    const added = { ...base, schema: v1.extend({ note: z.string().optional() }) };
    const problems = check(added, [...examples, { ...examples[0], note: 'gift' }]);
    expect(problems).toEqual([
      expect.objectContaining({ kind: 'unrecorded', message: expect.stringMatching(/UPDATE_CONTRACTS=1 npx nx test events/) }),
    ]);
  });

  it('fails a new required field without a bump, and says what to do', () => {
    const added = { ...base, schema: v1.extend({ currency: z.string() }) };
    const message = breaking(added, [{ ...examples[0], currency: 'EUR' }]);
    expect(message).toMatch(/payments: changed incompatibly without a version bump: recorded v1 example 0 no longer parses \(currency: /);
    expect(message).toMatch(/bump the version to v2 and add upcasters\[1\]; then run UPDATE_CONTRACTS=1 npx nx test events/);
  });

  it('fails a removed field without a bump: consumers on the recorded schema still need it', () => {
    const removed = { ...base, schema: z.object({ paymentId: z.string().min(1) }) };
    expect(breaking(removed, [{ paymentId: 'pay-1' }])).toMatch(/consumers still on the recorded v1 schema reject example 0 \(cents: /);
  });

  it('fails a changed field type without a bump', () => {
    const changed = { ...base, schema: v1.extend({ cents: z.string() }) };
    expect(breaking(changed, [{ paymentId: 'pay-1', cents: '500' }])).toMatch(/recorded v1 example 0 no longer parses \(cents: /);
  });

  it('fails a version bump without an upcaster from the previous version', () => {
    const bumped = { ...base, version: 2, schema: v1.extend({ currency: z.string() }) };
    expect(breaking(bumped, [{ ...examples[0], currency: 'EUR' }])).toMatch(
      /bumped from v1 to v2 but v1 events cannot be read: .*no upcaster from v1 to v2.*; add or fix the upcaster, then run UPDATE_CONTRACTS=1/,
    );
  });

  it('fails an upcaster whose output the new schema rejects', () => {
    const v2 = v1.extend({ currency: z.string().length(3) });
    const bumped = { ...base, version: 2, schema: v2, upcasters: { 1: upcaster(v1, (p) => ({ ...p, currency: '' })) } };
    expect(breaking(bumped, [{ ...examples[0], currency: 'EUR' }])).toMatch(
      /recorded v1 example 0, upcast to v2, does not parse: currency: .*fix the upcaster/,
    );
  });

  it('accepts a bump with an upcaster, and asks to record it', () => {
    const v2 = v1.extend({ currency: z.string().length(3) });
    const bumped = { ...base, version: 2, schema: v2, upcasters: { 1: upcaster(v1, (p) => ({ ...p, currency: 'EUR' })) } };
    expect(check(bumped, [{ ...examples[0], currency: 'USD' }])).toEqual([expect.objectContaining({ kind: 'unrecorded' })]);
  });

  it('fails a strict object, which would reject what a newer producer adds', () => {
    const strict = {
      ...base,
      schema: z.object({ paymentId: z.string().min(1), cents: z.number().int(), meta: z.strictObject({ a: z.string() }).optional() }),
    };
    expect(breaking(strict)).toMatch(/the object at payload.meta rejects unknown fields/);
  });

  it('fails a changed type, a version going back and an upcaster that is not for an older version', () => {
    expect(breaking({ ...base, type: 'payment.taken' })).toMatch(/event type changed from payment.captured to payment.taken/);
    expect(breaking({ ...base, version: 2, upcasters: { 1: (p) => p, 2: (p) => p } })).toMatch(
      /upcasters\[2\] reads a version that is not older than v2/,
    );
    expect(contractProblems('payments', base, examples, { ...recorded, version: 2 })[0].message).toMatch(/version went back from v2 to v1/);
  });

  it('fails a breaking change to a copy of a real contract, judged against the committed snapshot', () => {
    const real = contracts[Topics.OrderPlaced];
    const changed = { ...real, schema: real.schema.extend({ channel: z.enum(['web', 'shop']) }) };
    const example = { ...contractExamples[Topics.OrderPlaced][0], channel: 'web' };
    const problems = contractProblems(Topics.OrderPlaced, changed, [example], readSnapshot()[Topics.OrderPlaced]);
    expect(problems.map((p) => p.kind)).toEqual(['breaking']);
    expect(problems[0].message).toMatch(/order.placed: changed incompatibly without a version bump: .*channel: /);
  });
});
