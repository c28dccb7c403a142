#!/usr/bin/env node
// npm stop: stop the services `npm start` launched (SIGTERM, SIGKILL after 15 s), then the stack,
// the same way it was started (recorded in .stack/run/mode). safe to run any number of times.
//   npm stop -- --services    stops the services only and leaves the stack running
import process from 'node:process';
import { livePid, quiet, removeFile, signal, sleep } from './lib/proc.mjs';
import { SERVICES } from './lib/services.mjs';
import { clearMode, dockerStatus, recordedMode, stackDown } from './lib/stack.mjs';
import { UserError, main, ok, setPrefix, step, warn } from './lib/ui.mjs';

const GRACE_MS = 15_000;

/** waits until none of the processes runs any more, or the time is up; returns those still running */
async function waitGone(procs, ms) {
  const until = Date.now() + ms;
  let left = procs;
  while ((left = left.filter((p) => livePid(p.pidFile))).length && Date.now() < until) await sleep(250);
  return left;
}

async function stopServices() {
  const running = [];
  for (const svc of SERVICES) {
    const pid = livePid(svc.pidFile);
    if (pid) running.push({ ...svc, pid });
    else removeFile(svc.pidFile); // stale: the process is gone, or the pid now belongs to another one
  }
  if (!running.length) return step('no service is running');
  for (const p of running) {
    step(`stopping ${p.name} (pid ${p.pid})`);
    signal(p.pid, 'SIGTERM');
  }
  const stubborn = await waitGone(running, GRACE_MS);
  for (const p of stubborn) {
    warn(`${p.name} did not stop within ${GRACE_MS / 1000} s; killing it`);
    signal(p.pid, 'SIGKILL');
  }
  const left = await waitGone(stubborn, 5000);
  if (left.length) {
    throw new UserError(
      `could not stop ${left.map((p) => `${p.name} (pid ${p.pid})`).join(', ')}; is it running as another user? Kill it by hand, then run \`npm stop\` again.`,
    );
  }
  running.forEach((p) => removeFile(p.pidFile));
  ok(`stopped ${running.map((p) => p.name).join(', ')}`);
}

async function stopStack() {
  const mode = recordedMode();
  const modes = mode ? [mode] : ['native'];
  if (!mode) {
    // nothing recorded (e.g. the stack was started with `npm run stack -- up` or by hand):
    // the native stack stops only what its pid files name; compose only if it has containers
    const docker = await dockerStatus();
    if (docker.compose && (await quiet('docker', ['compose', 'ps', '-q'])).output.trim()) modes.push('docker');
  }
  for (const m of modes) {
    const code = await stackDown(m);
    if (code !== 0) {
      throw new UserError(
        `stopping the ${m} stack failed (exit ${code}); the output above says why. ${m === 'docker' ? 'Try `docker compose down` by hand.' : 'Try `npm run stack -- down` and `npm run stack -- status`.'}`,
      );
    }
  }
  clearMode();
}

main(async () => {
  setPrefix('stop');
  await stopServices();
  // --services: leave the backing servers running (npm test does this after its e2e phase)
  if (process.argv.includes('--services')) return 0;
  await stopStack();
  ok('everything is stopped');
  return 0;
});

process.on('SIGINT', () => {
  warn('interrupted: run `npm stop` again to finish stopping');
  process.exit(130);
});
