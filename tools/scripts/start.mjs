#!/usr/bin/env node
// npm start: bring up the backing servers, build the five services, start them in the
// background and wait until every one answers GET /health/ready with 200.
//   npm start [-- --timeout=SECONDS]     (or START_TIMEOUT=SECONDS; default 180)
// services log to .stack/logs/<service>.log; `npm stop` stops everything again.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, writeSync } from 'node:fs';
import process from 'node:process';
import {
  LOG_DIR,
  ROOT,
  onProjectNode,
  ensureDirs,
  fileSize,
  livePid,
  portTaken,
  readPidFile,
  rel,
  removeFile,
  run,
  sleep,
  tailLines,
  writePidFile,
} from './lib/proc.mjs';
import { MANAGEMENT_PORT_OFFSET, NODE_FLAGS, NODE_FLAGS_ENV, SERVICES, portVar } from './lib/services.mjs';
import { chooseMode, recordMode, stackUp } from './lib/stack.mjs';
import { UserError, main, ok, red, seconds, setPrefix, step, table, warn } from './lib/ui.mjs';
import localKeys from './lib/local-keys.cjs';
import localLimits from './lib/local-limits.cjs';

const { localKeyEnv } = localKeys;
const { localRateLimitEnv } = localLimits;

function readTimeout() {
  const i = process.argv.findIndex((a) => a === '--timeout' || a.startsWith('--timeout='));
  const raw = i < 0 ? process.env.START_TIMEOUT : process.argv[i].includes('=') ? process.argv[i].split('=')[1] : process.argv[i + 1];
  if (raw === undefined) return 180;
  const s = Number(raw);
  if (!(s > 0)) throw new UserError(`the timeout must be a number of seconds (got "${raw}"): use --timeout=300 or START_TIMEOUT=300`);
  return s;
}

async function build() {
  const names = SERVICES.map((s) => s.name);
  step(`building ${names.join(', ')}`);
  const { code } = await run('npx', ['nx', 'run-many', '-t', 'build', `--projects=${names.join(',')}`, '--outputStyle=stream']);
  if (code !== 0) throw new UserError(`the build failed (nx exit ${code}): the errors are above. Fix them and run \`npm start\` again.`);
  const missing = SERVICES.filter((s) => !existsSync(s.main));
  if (missing.length) {
    throw new UserError(
      `the build reported success but produced no ${missing.map((s) => rel(s.main)).join(', ')}; check the webpack output path in apps/<service>/webpack.config.js.`,
    );
  }
}

/**
 * which services run already (left as they are) and which to start; fails before anything is
 * started when a port we need is taken by another process
 */
async function planServices() {
  const plan = [];
  for (const svc of SERVICES) {
    const pid = livePid(svc.pidFile);
    if (pid) {
      const port = readPidFile(svc.pidFile).port ?? svc.port;
      plan.push({ ...svc, port, managementPort: port + MANAGEMENT_PORT_OFFSET, pid });
      continue;
    }
    removeFile(svc.pidFile); // stale
    for (const port of [svc.port, svc.managementPort]) {
      if (await portTaken(port)) {
        throw new UserError(
          `${svc.name}: port ${port} is already taken by another process. Stop that process (\`ss -ltnp 'sport = :${port}'\` shows it), or start on another port with ${portVar(svc.name)}=<port> npm start (its management port is that + ${MANAGEMENT_PORT_OFFSET}).`,
        );
      }
    }
    plan.push({ ...svc, pid: null });
  }
  return plan;
}

/**
 * where the services listen: loopback, unless the gateway runs in docker (the stack's compose file),
 * which reaches them through the host's bridge address (host.docker.internal). HTTP_HOST overrides it
 */
function listenHost(mode) {
  if (process.env.HTTP_HOST) return process.env.HTTP_HOST;
  return mode === 'docker' ? '0.0.0.0' : '127.0.0.1';
}

/** starts the planned services detached, each logging to its file; notes where this start's log begins */
function launch(plan, mode) {
  for (const svc of plan) {
    svc.logFrom = fileSize(svc.log);
    if (svc.pid) {
      warn(
        `${svc.name} is already running (pid ${svc.pid}, port ${svc.port}); left as is. \`npm stop\` first to restart it with the new build.`,
      );
      continue;
    }
    const fd = openSync(svc.log, 'a');
    writeSync(fd, `\n=== ${new Date().toISOString()} npm start: node ${[...NODE_FLAGS, rel(svc.main)].join(' ')} (port ${svc.port}) ===\n`);
    // with the image's node flags and environment (deploy/node-flags.json), so a service here holds what it holds in its pod
    const child = spawn(process.execPath, [...NODE_FLAGS, svc.main], {
      cwd: ROOT,
      detached: true, // own session and process group: survives this script, and stop signals the group
      stdio: ['ignore', fd, fd],
      env: {
        // the image's environment under node (deploy/node-flags.json), which the caller's may override
        ...NODE_FLAGS_ENV,
        ...process.env,
        // the local pair in .stack/keys, generated on first use, unless the environment names keys
        ...localKeyEnv(),
        // the local stack's rate limits, far above production's (deploy/gateway/rate-limits.local.env)
        ...localRateLimitEnv(),
        NODE_ENV: 'development',
        HTTP_HOST: listenHost(mode),
        HTTP_PORT: String(svc.port),
        // metrics, docs and the readiness details: loopback only, whatever HTTP_HOST is
        MANAGEMENT_HOST: process.env.MANAGEMENT_HOST || '127.0.0.1',
        MANAGEMENT_PORT: String(svc.managementPort),
      },
    });
    closeSync(fd);
    child.unref();
    writePidFile(svc.pidFile, child.pid, svc.port);
    svc.pid = child.pid;
    step(`started ${svc.name} (pid ${child.pid}, port ${svc.port}, log ${rel(svc.log)})`);
  }
}

/** names the dependencies a readiness body reports as not up (terminus or a plain map of statuses) */
function downFrom(body) {
  let json;
  try {
    json = JSON.parse(body);
  } catch {
    return body.trim().slice(0, 120) || 'empty body';
  }
  const down = new Map();
  const visit = (obj) => {
    if (!obj || typeof obj !== 'object') return;
    for (const [name, v] of Array.isArray(obj) ? obj.map((d) => [d?.name, d]) : Object.entries(obj)) {
      const status = v && typeof v === 'object' ? (v.status ?? v.state) : undefined;
      if (name && status !== undefined && !['up', 'ok', 'ready', 'healthy', true].includes(status)) {
        down.set(name, v.message ?? v.error ?? v.reason ?? status);
      }
    }
  };
  [json?.error, json?.details, json?.dependencies, json?.checks, json].forEach(visit);
  if (!down.size) return JSON.stringify(json).slice(0, 120);
  return `down: ${[...down].map(([n, why]) => (typeof why === 'string' && why !== 'down' ? `${n} (${why.slice(0, 60)})` : n)).join(', ')}`;
}

/**
 * readiness with each check's details: the management port's (the public one says only ok or error).
 * a service started before it had one (left running) answers on its http port only
 */
async function probe(svc) {
  const first = await probeAt(svc.managementPort);
  if (first.ready || first.why !== 'not listening yet') return first;
  const pub = await probeAt(svc.port);
  return pub.ready || pub.why !== 'not listening yet' ? pub : first;
}

async function probeAt(port) {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/health/ready`, {
      signal: AbortSignal.timeout(3000),
    });
    const body = await res.text();
    if (res.status === 200) return { ready: true };
    return {
      ready: false,
      why: res.status === 503 ? downFrom(body) : `HTTP ${res.status} ${downFrom(body)}`,
    };
  } catch (e) {
    const code = e?.cause?.code ?? e?.name;
    return {
      ready: false,
      why: code === 'ECONNREFUSED' ? 'not listening yet' : `no answer (${code ?? e.message})`,
    };
  }
}

function printTail(svc) {
  const tail = tailLines(svc.log, 30, svc.logFrom);
  console.error(red(`--- last lines of ${rel(svc.log)} ---`));
  console.error(tail || '(empty)');
  console.error(red('---'));
}

async function waitReady(plan, timeoutS) {
  step(`waiting up to ${timeoutS} s for GET /health/ready on every service`);
  const pending = new Map(plan.map((s) => [s.name, { svc: s, why: 'not checked yet' }]));
  const since = Date.now();
  const deadline = since + timeoutS * 1000;
  let lastLine = '';
  let lastPrint = 0;
  for (;;) {
    for (const { svc } of pending.values()) {
      if (!livePid(svc.pidFile)) {
        printTail(svc);
        throw new UserError(
          `${svc.name} exited during start-up; its log is ${rel(svc.log)} (last lines above). Fix the cause and run \`npm start\` again; \`npm stop\` stops what is still running.`,
        );
      }
    }
    const results = await Promise.all([...pending.values()].map(async (p) => [p, await probe(p.svc)]));
    for (const [p, r] of results) {
      if (r.ready) {
        pending.delete(p.svc.name);
        ok(`${p.svc.name} ready on http://localhost:${p.svc.port}`);
      } else {
        p.why = r.why;
      }
    }
    if (!pending.size) return;
    const line = [...pending.values()].map((p) => `${p.svc.name}: ${p.why}`).join('; ');
    const timedOut = Date.now() > deadline;
    if (timedOut || line !== lastLine || Date.now() - lastPrint > 10_000) {
      step(`${timedOut ? 'not ready' : 'still waiting'} after ${seconds(Date.now() - since)}:`);
      for (const p of pending.values()) console.log(`    ${p.svc.name.padEnd(22)} ${p.why}`);
      lastLine = line;
      lastPrint = Date.now();
    }
    if (timedOut) {
      for (const p of pending.values()) printTail(p.svc);
      const names = [...pending.keys()].join(', ');
      throw new UserError(
        `${names} not ready after ${timeoutS} s (what each reports is listed above, their logs are in ${rel(LOG_DIR)}/). If a dependency is down, \`npm run stack -- status\` shows which server; on a slow machine raise the limit: \`npm start -- --timeout=300\`.`,
      );
    }
    await sleep(1000);
  }
}

main(async () => {
  setPrefix('start');
  const started = Date.now();
  process.on('SIGINT', () => {
    console.log();
    warn('interrupted: whatever was started so far keeps running; `npm stop` stops it.');
    process.exit(130);
  });
  const rerun = await onProjectNode();
  if (rerun !== undefined) return rerun;
  const timeoutS = readTimeout();
  ensureDirs();
  const plan = await planServices();

  const mode = await chooseMode();
  recordMode(mode); // before starting, so `npm stop` can also clean up a half-started stack
  await stackUp(mode);
  ok(`stack up (${mode})`);

  await build();
  launch(plan, mode);
  await waitReady(plan, timeoutS);

  console.log();
  table([
    ['service', 'url', 'docs and metrics', 'log'],
    ...plan.map((s) => [s.name, `http://127.0.0.1:${s.port}`, `http://127.0.0.1:${s.managementPort}/docs`, rel(s.log)]),
  ]);
  console.log();
  const gateway = `http://localhost:${process.env.GATEWAY_PORT || 8080}`;
  step(`gateway: ${gateway}/api/... (e.g. ${gateway}/api/orders/health)`);
  ok(`everything is up in ${seconds(Date.now() - started)} (stack: ${mode}). \`npm stop\` stops it all.`);
});
