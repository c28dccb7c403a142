#!/usr/bin/env node
// npm test: the one test command, locally and in CI.
//   1. start the stack if it is not up (and stop it again at the end, unless KEEP_STACK=1)
//   2. lint and build:    nx run-many -t lint typecheck build   (module boundaries included)
//   3. unit tests:        nx run-many -t test         (every project)
//   4. integration tests: nx run-many -t integration  (projects with that target; real servers)
//   5. end-to-end tests:  npm start, then nx run platform-e2e:e2e through the gateway, then the
//      services it started are stopped again (services that were running already are used as they are)
// the last line of output is "<N> passed, <M> failed", summed over jest's "Tests:" lines of both.
import process from 'node:process';
import { livePid, onProjectNode, quiet, run } from './lib/proc.mjs';
import { SERVICES } from './lib/services.mjs';
import { chooseMode, clearMode, recordMode, recordedMode, stackDown, stackStatus, stackUp } from './lib/stack.mjs';
import { bold, error, green, main, ok, red, seconds, setPrefix, step, warn } from './lib/ui.mjs';

const keepStack = process.env.KEEP_STACK === '1';
const ci = Boolean(process.env.CI) && process.env.CI !== 'false';
const color = process.stdout.isTTY && !ci && !process.env.NO_COLOR;
// the children write into a pipe (to count the results), so tell them whether to color
const env = { ...process.env, FORCE_COLOR: color ? '1' : '0', NX_TUI: 'false' };

let interrupted = false;
process.on('SIGINT', () => {
  // the running child gets the same ctrl-c; we stop afterwards and still clean up the stack
  interrupted = true;
  warn('interrupted: finishing the current step, then cleaning up');
});

/** sums jest's summary lines, e.g. "Tests:       1 failed, 5 passed, 6 total" */
function countTests(output) {
  const totals = { passed: 0, failed: 0, failedSuites: 0, failures: [] };
  let reasonLines = 0;
  // eslint-disable-next-line no-control-regex -- strips the color codes of a terminal
  for (const line of output.replace(/\x1b\[[0-9;]*m/g, '').split('\n')) {
    // which test failed, and in which file ("<project>: FAIL <project>:<target> <file>", "● <suite> › <test>"),
    // so the last lines of a long log still name them
    const file = line.match(/^(?:[\w@./-]+: )?FAIL\s+(\S+\s+\S+)/);
    const test = line.match(/^(?:[\w@./-]+: )?\s*● (.+ › .+)$/);
    // a type error names its file and line (the typecheck target's tsc, "<project>: <file>(l,c): error TSnnnn: …")
    const typeError = line.match(/^(?:[\w@./-]+: )?(\S+\(\d+,\d+\): error TS\d+: .{0,160})/);
    const failure = file ? `FAIL ${file[1]}` : test ? `  ● ${test[1]}` : typeError ? typeError[1] : null;
    if (failure) {
      reasonLines = test && !totals.failures.includes(failure) ? 6 : 0;
      if (!totals.failures.includes(failure)) totals.failures.push(failure);
      continue;
    }
    // and the first lines of why (the assertion and its expected/received), up to its stack or code frame
    const text = line.replace(/^[\w@./-]+: /, '').trim();
    if (reasonLines > 0 && text) {
      if (/^at |^>?\s*\d+ \|/.test(text)) reasonLines = 0;
      else if (!/^[-+] (Expected|Received)\s+[-+] \d+$|^(Object \{|Array \[|\}|\]),?$/.test(text)) {
        totals.failures.push(`      ${text.slice(0, 160)}`);
        reasonLines -= 1;
      }
    }
    // a suite that does not load (a compile error) runs no test, but it is a failure all the same
    const suites = line.match(/\bTest Suites:\s+(\d+) failed/);
    if (suites) totals.failedSuites += Number(suites[1]);
    const m = line.match(/\bTests:\s+(.*\b\d+ total)\s*$/);
    if (!m) continue;
    totals.passed += Number(m[1].match(/(\d+) passed/)?.[1] ?? 0);
    totals.failed += Number(m[1].match(/(\d+) failed/)?.[1] ?? 0);
  }
  return totals;
}

async function phase(title, nxArgs) {
  console.log();
  step(bold(`${title}: npx nx ${nxArgs.join(' ')}`));
  const started = Date.now();
  const { code, output } = await run('npx', ['nx', ...nxArgs], {
    env,
    capture: true,
  });
  const counts = countTests(output);
  // a phase that failed without a failing test (a suite that did not compile) still counts as failed
  if (code !== 0 && counts.failed === 0) counts.failed = Math.max(1, counts.failedSuites);
  const line = `${title}: ${counts.passed} passed, ${counts.failed} failed in ${seconds(Date.now() - started)}`;
  if (code === 0) ok(line);
  else error(`${line}; nx exited ${code}${counts.failedSuites ? ' (look above for a failing test or a suite that did not load)' : ''}`);
  return { title, ok: code === 0, ...counts };
}

/** projects that define an `integration` target */
async function integrationProjects() {
  const { code, stdout, output } = await quiet('npx', ['nx', 'show', 'projects', '--with-target', 'integration']);
  if (code !== 0) throw new Error(`\`nx show projects --with-target integration\` failed:\n${output}`);
  return stdout
    .split('\n')
    .map((s) => s.trim())
    .filter((s) => /^[\w@./-]+$/.test(s));
}

/** starts the stack unless it is up; returns what must be stopped at the end (null: nothing) */
async function ensureStack(mode) {
  const before = await stackStatus(mode);
  if (before.up) {
    step('the stack is up already; it is left running afterwards');
    return { stop: null, ok: true };
  }
  // stop again only what was not running before (none running: everything)
  const servers = before.running.length ? before.stopped : [];
  const recorded = !recordedMode();
  if (recorded) recordMode(mode); // so `npm stop` finds it should this run be cut short
  step(
    `the stack is not up${before.stopped.length ? ` (stopped: ${before.stopped.join(', ')})` : ''}: starting it${keepStack ? ' (KEEP_STACK=1: it stays up afterwards)' : '; it is stopped again at the end'}`,
  );
  const stop = { servers, recorded };
  try {
    await stackUp(mode);
    return { stop, ok: true };
  } catch (e) {
    error(e.message);
    return { stop, ok: false };
  }
}

async function releaseStack(mode, stop) {
  if (!stop) return true;
  console.log();
  if (keepStack) {
    step('KEEP_STACK=1: the stack stays up; `npm stop` stops it');
    return true;
  }
  step('stopping the stack this run started');
  const code = await stackDown(mode, stop.servers);
  if (code !== 0) {
    error(`stopping the stack failed (exit ${code}); run \`npm stop\` to retry`);
    return false;
  }
  if (stop.recorded) clearMode(); // leave no trace: there was no mode file before this run
  return true;
}

const phases = [];

/** npm start, the e2e suite through the gateway, then npm stop -- --services if this run started them */
async function e2ePhase() {
  const running = SERVICES.filter((s) => livePid(s.pidFile)).map((s) => s.name);
  console.log();
  if (running.length)
    warn(`already running, used as they are (not rebuilt): ${running.join(', ')}. \`npm stop -- --services\` first to test a fresh build.`);
  step(bold('end-to-end tests: npm start, then the suite through the gateway'));
  const start = await run(process.execPath, ['tools/scripts/start.mjs'], { env });
  let result;
  if (start.code !== 0) {
    error('the services did not start (see above), so the end-to-end tests did not run');
    result = { title: 'end-to-end tests (not run)', ok: false, passed: 0, failed: 0 };
  } else {
    result = await phase('end-to-end tests', ['run', 'platform-e2e:e2e', '--outputStyle=stream', '--skip-nx-cache']);
  }
  if (!running.length) {
    step('stopping the services this run started');
    const stop = await run(process.execPath, ['tools/scripts/stop.mjs', '--services'], { env });
    if (stop.code !== 0) error('could not stop the services; run `npm stop`');
  }
  return result;
}

/** per-phase lines, then the machine-readable result: always the last line, no color */
function summary(success, started, problems) {
  const passed = phases.reduce((n, p) => n + p.passed, 0);
  const failed = phases.reduce((n, p) => n + p.failed, 0);
  console.log();
  for (const p of phases) {
    console.log(`${p.ok ? green('ok    ') : red('FAILED')} ${p.title}: ${p.passed} passed, ${p.failed} failed`);
    const failures = p.failures ?? [];
    for (const f of failures.slice(0, 60)) console.log(`         ${f}`);
    if (failures.length > 60) console.log(`         … and more above`);
  }
  for (const problem of problems) console.log(`${red('FAILED')} ${problem}`);
  console.log(`${success ? green('success') : red('failure')} in ${seconds(Date.now() - started)}`);
  console.log(`${passed} passed, ${failed} failed`);
}

async function runAll(problems) {
  if (ci) step('CI detected: no prompts, no colors');

  const mode = await chooseMode();
  const stack = await ensureStack(mode);
  if (!stack.ok) problems.push('the stack did not come up');
  try {
    // lint (module boundaries included) and the build first: cheap, cached, and they catch what tests do not
    if (!interrupted) phases.push(await phase('lint and build', ['run-many', '-t', 'lint', 'typecheck', 'build', '--outputStyle=stream']));
    if (!interrupted) phases.push(await phase('unit tests', ['run-many', '-t', 'test', '--outputStyle=stream']));
    const projects = interrupted ? [] : await integrationProjects();
    if (interrupted) {
      problems.push('interrupted');
    } else if (!projects.length) {
      console.log();
      step('integration tests: no project defines an `integration` target; skipped');
    } else if (!stack.ok) {
      console.log();
      error(`integration tests not run (${projects.join(', ')}): the stack did not come up, see above`);
      phases.push({
        title: 'integration tests (not run)',
        ok: false,
        passed: 0,
        failed: 0,
      });
    } else {
      // --skip-nx-cache: their result depends on the servers, which nx cannot hash
      phases.push(
        await phase('integration tests', [
          'run-many',
          '-t',
          'integration',
          '--outputStyle=stream',
          '--skip-nx-cache',
          // one at a time: they share the servers, and two cores
          '--parallel=1',
        ]),
      );
      if (interrupted) problems.push('interrupted');
      else phases.push(await e2ePhase());
    }
  } finally {
    if (!(await releaseStack(mode, stack.stop))) problems.push('the stack this run started could not be stopped');
  }
}

main(async () => {
  setPrefix('test');
  const rerun = await onProjectNode();
  if (rerun !== undefined) return rerun;
  const started = Date.now();
  const problems = [];
  try {
    await runAll(problems);
  } catch (e) {
    error(e?.message ?? String(e));
    problems.push('npm test could not finish (see the error above)');
  }
  const success = !problems.length && phases.length > 0 && phases.every((p) => p.ok);
  summary(success, started, problems);
  return success ? 0 : 1;
});
