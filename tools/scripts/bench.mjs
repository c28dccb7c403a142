#!/usr/bin/env node
// npm run bench: every hot path next to its raw baseline, in one run on this machine.
//   npm run bench [-- --only=resources,hot-read,saga,growth,placement,relay --seconds=10 --rates=10,25,50,100,150,200 --catalogs=hot,spread --profile]
// --catalogs: the saga's catalogs, one hot SKU and a spread 10k-product one; both by default
// --profile: the services write cpu profiles (node --cpu-prof) under bench/results/profiles/ when they stop
// it starts the servers if they are not up (and stops them again), builds the services, and runs
// its own instances of them behind its own gateway, in a namespace of its own on the servers (its
// topics, databases, keys, indexes and keyspace, removed at the end), so a running stack is neither
// disturbed nor counted. the table is printed; the JSON and a chart go to bench/results/.
import process from 'node:process';
import { createRequire } from 'node:module';
import { onProjectNode, run } from './lib/proc.mjs';
import { SERVICES } from './lib/services.mjs';
import { withStack } from './lib/stack.mjs';
import { UserError, main, setPrefix, step } from './lib/ui.mjs';

const require = createRequire(import.meta.url);
const { localKeyEnv } = require('./lib/local-keys.cjs');
const { localRateLimitEnv } = require('./lib/local-limits.cjs');
const stores = require('../jest/run-stores.cjs');

const OPTIONS = { only: 'BENCH_ONLY', seconds: 'BENCH_SECONDS', rates: 'BENCH_RATES', catalogs: 'BENCH_CATALOGS' };
const USAGE = 'npm run bench [-- --only=resources,hot-read,saga,growth,placement,relay --seconds=10 --rates=10,25,50,100,150,200 --catalogs=hot,spread --profile]';

function options(argv) {
  const env = {};
  for (const arg of argv) {
    if (arg === '--profile') {
      env.BENCH_PROFILE = '1';
      continue;
    }
    const m = /^--(\w+)=(.+)$/.exec(arg);
    if (!m || !OPTIONS[m[1]]) throw new UserError(`unknown argument ${arg}; usage: ${USAGE}`);
    env[OPTIONS[m[1]]] = m[2];
  }
  return env;
}

main(async () => {
  setPrefix('bench');
  const chosen = options(process.argv.slice(2));
  const rerun = await onProjectNode();
  if (rerun !== undefined) return rerun;
  return withStack(step, async () => {
    const names = SERVICES.map((s) => s.name);
    step(`building ${names.join(', ')}`);
    const build = await run('npx', ['nx', 'run-many', '-t', 'build', `--projects=${names.join(',')}`, '--outputStyle=stream'], {
      env: { ...process.env, NX_TUI: 'false' },
    });
    if (build.code !== 0) throw new UserError('the build failed: the errors are above');
    // the benchmark's own namespace on the servers, like an integration run's
    Object.assign(process.env, stores.runEnv(process.env, 'bench'), localKeyEnv(), localRateLimitEnv());
    await stores.setup();
    try {
      const { code } = await run(process.execPath, ['-r', '@swc-node/register', 'tools/bench/src/main.ts'], {
        env: { ...process.env, ...chosen, SWC_NODE_PROJECT: 'tsconfig.base.json' },
      });
      return code;
    } finally {
      if (process.env.BENCH_KEEP === '1') {
        step(
          `BENCH_KEEP=1: the namespace stays on the servers (topics ${process.env.KAFKA_TOPIC_PREFIX}*, database ${process.env.POSTGRES_DB})`,
        );
      } else {
        step('removing the benchmark namespace from the servers');
        await stores.teardown();
      }
    }
  });
});
