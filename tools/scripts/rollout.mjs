#!/usr/bin/env node
// npm run rollout: the rolling-update check at full size. For each of the five services, two
// instances run behind nginx under steady load and are replaced one at a time (start the new one,
// wait until it is ready, take the old one out of the balancer, SIGTERM it). It reports the non-2xx
// responses over the whole run and, for consumers, that no event was lost or applied twice.
//   npm run rollout [-- --requests=20000]     (npm test runs the same check with 1,500 per service)
// needs the built services (built here) and the stack (started here if it is not up, and stopped again).
import process from 'node:process';
import { onProjectNode, run } from './lib/proc.mjs';
import { withStack } from './lib/stack.mjs';
import { UserError, main, setPrefix, step } from './lib/ui.mjs';

function requests() {
  const arg = process.argv.find((a) => a.startsWith('--requests='));
  const n = Number(arg ? arg.split('=')[1] : (process.env.ROLLOUT_REQUESTS ?? 20_000));
  if (!Number.isInteger(n) || n < 100) throw new UserError(`--requests must be a whole number of at least 100 (got "${arg}")`);
  return n;
}

main(async () => {
  setPrefix('rollout');
  const n = requests();
  const rerun = await onProjectNode();
  if (rerun !== undefined) return rerun;
  return withStack(step, async () => {
    step(`rolling updates with ${n} requests per service; this takes a few minutes`);
    const { code } = await run('npx', ['nx', 'run', 'rollout-check:rollout', '--outputStyle=stream', '--skip-nx-cache'], {
      env: { ...process.env, ROLLOUT_REQUESTS: String(n), NX_TUI: 'false' },
    });
    if (code !== 0) throw new UserError('the rolling-update check failed: the report and the failing expectations are above');
    return 0;
  });
});
