#!/usr/bin/env node
// npm run rebuild -- search|analytics [--keep-previous]: rebuilds a read model by replaying the
// events Kafka retains, next to the live one, then switches readers to it; searches and reports keep
// answering all along (docs/RUNBOOK.md, "Rebuilding a read model"). it runs the service's own build
// (`node main.js rebuild`), as a Kubernetes Job runs its image; the stack must be up.
import process from 'node:process';
import { onProjectNode, rel, run } from './lib/proc.mjs';
import { NODE_FLAGS, NODE_FLAGS_ENV, SERVICES } from './lib/services.mjs';
import { chooseMode, stackStatus } from './lib/stack.mjs';
import { UserError, main, ok, setPrefix, step } from './lib/ui.mjs';

const MODELS = {
  search: { service: 'product-service', what: 'the search index (Elasticsearch), from product.upserted and product.deleted' },
  analytics: { service: 'analytics-service', what: 'the analytics tables (Cassandra), from user.registered and order.*' },
};
const USAGE = `usage: npm run rebuild -- search|analytics [--keep-previous]
  search      ${MODELS.search.what}
  analytics   ${MODELS.analytics.what}
  --keep-previous  keep the copy readers left (dropped by default)`;

main(async () => {
  setPrefix('rebuild');
  const args = process.argv.slice(2);
  const targets = args.filter((a) => !a.startsWith('--'));
  const unknown = args.filter((a) => a.startsWith('--') && a !== '--keep-previous');
  if (args.includes('--help') || args.includes('-h')) {
    console.log(USAGE);
    return 0;
  }
  if (targets.length !== 1 || !MODELS[targets[0]] || unknown.length) {
    throw new UserError(`${unknown.length ? `unknown option ${unknown[0]}` : `name one read model, got "${targets.join(' ')}"`}\n${USAGE}`);
  }
  const rerun = await onProjectNode();
  if (rerun !== undefined) return rerun;
  const model = MODELS[targets[0]];
  const service = SERVICES.find((s) => s.name === model.service);
  const mode = await chooseMode();
  if (!(await stackStatus(mode)).up) throw new UserError('the stack is not up: the read model lives in it. `npm start` (or `npm run stack -- up`) first');
  const passOn = args.filter((a) => a === '--keep-previous');
  let code;
  if (mode === 'docker') {
    step(`rebuilding ${model.what}, in a one-off ${model.service} container`);
    ({ code } = await run('docker', ['compose', 'run', '--rm', '--no-deps', model.service, 'node', 'main.js', 'rebuild', ...passOn]));
  } else {
    step(`building ${model.service} (nx build; cached when nothing changed)`);
    const build = await run('npx', ['nx', 'run', `${model.service}:build`, '--outputStyle=stream'], { env: { ...process.env, NX_TUI: 'false' } });
    if (build.code !== 0) throw new UserError(`the build of ${model.service} failed: the errors are above`);
    step(`rebuilding ${model.what}: node ${rel(service.main)} rebuild ${passOn.join(' ')}`);
    ({ code } = await run(process.execPath, [...NODE_FLAGS, service.main, 'rebuild', ...passOn], {
      env: { ...NODE_FLAGS_ENV, ...process.env, NODE_ENV: process.env.NODE_ENV || 'development' },
    }));
  }
  if (code !== 0) throw new UserError(`the rebuild failed (exit ${code}): the lines above say how far it got`);
  ok(`${targets[0]} rebuilt; readers use the new copy`);
  return 0;
});
