#!/usr/bin/env node
// npm run faults: the fault suite at full size. The five services run from their builds behind the
// gateway, with steady order traffic whose clients retry with the same Idempotency-Key on 503 or a
// dropped connection. One at a time, each of Kafka, PostgreSQL, MongoDB, Cassandra, Redis,
// Elasticsearch and the five services is killed with kill -9 a quarter of the way in, kept down for
// 20 s (longer than any retry budget), and started again. Then every effect is counted, and one row
// per scenario is printed. Any lost, doubled or stuck order, 5xx other than 503, or dead letter fails it.
//   npm run faults [-- --orders=400 --rate=20 --down=20 --only=postgres,order-service]
// (npm test runs a reduced form: postgres and product-service, 120 orders each)
import process from 'node:process';
import { onProjectNode, run } from './lib/proc.mjs';
import { withStack } from './lib/stack.mjs';
import { UserError, main, setPrefix, step } from './lib/ui.mjs';

function option(name, fallback, valid) {
  const arg = process.argv.slice(2).find((a) => a.startsWith(`--${name}=`));
  const value = arg ? arg.slice(name.length + 3) : fallback;
  if (!valid(value)) throw new UserError(`--${name}: "${value}" is not valid (default ${fallback})`);
  return value;
}

const wholeAtLeast = (min) => (v) => /^\d+$/.test(v) && Number(v) >= min;

main(async () => {
  setPrefix('faults');
  const unknown = process.argv.slice(2).filter((a) => !/^--(orders|rate|down|only)=/.test(a));
  if (unknown.length)
    throw new UserError(`unknown argument ${unknown.join(' ')}; usage: npm run faults [-- --orders=400 --rate=20 --down=20 --only=a,b]`);
  const env = {
    ...process.env,
    FAULT_ORDERS: option('orders', '400', wholeAtLeast(20)),
    FAULT_RATE: option('rate', '20', wholeAtLeast(1)),
    FAULT_DOWN_SECONDS: option('down', '20', wholeAtLeast(1)),
    FAULTS: option('only', 'all', (v) => /^[a-z,-]+$/.test(v)),
    NX_TUI: 'false',
  };
  const rerun = await onProjectNode();
  if (rerun !== undefined) return rerun;
  return withStack(step, async () => {
    step(
      `fault suite: ${env.FAULTS === 'all' ? 'every fault' : env.FAULTS}, ${env.FAULT_ORDERS} orders at ${env.FAULT_RATE}/s each, ${env.FAULT_DOWN_SECONDS} s down; about a minute per fault`,
    );
    const { code } = await run('npx', ['nx', 'run', 'fault-check:faults', '--outputStyle=stream', '--skip-nx-cache'], { env });
    if (code !== 0) throw new UserError('the fault suite found a mismatch: the table and the failing expectations are above');
    return 0;
  });
});
