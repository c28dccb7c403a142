// the backing servers, either natively (tools/stack/stack.sh) or with docker compose.
// the mode used by `npm start` is recorded in .stack/run/mode so `npm stop` and `npm test` use the same.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import process from 'node:process';
import { RUN_DIR, ensureDirs, quiet, removeFile, run } from './proc.mjs';
import localKeys from './local-keys.cjs';
import { UserError, step, warn } from './ui.mjs';

const MODE_FILE = join(RUN_DIR, 'mode');
const STACK_SH = 'tools/stack/stack.sh';
const MODES = ['native', 'docker'];

export function recordedMode() {
  const mode = existsSync(MODE_FILE) ? readFileSync(MODE_FILE, 'utf8').trim() : '';
  return MODES.includes(mode) ? mode : null;
}
export function recordMode(mode) {
  ensureDirs();
  writeFileSync(MODE_FILE, `${mode}\n`);
}
export const clearMode = () => removeFile(MODE_FILE);

/** a docker engine answers within a few seconds, and the compose plugin is there */
export async function dockerStatus() {
  const engine = (await quiet('docker', ['info'], { timeoutMs: 5000 })).code === 0;
  const compose = engine && (await quiet('docker', ['compose', 'version'], { timeoutMs: 5000 })).code === 0;
  return { engine, compose };
}

/**
 * the mode to use: the recorded one if a stack is (or may be) running, else STACK_MODE
 * (native|docker), else docker when an engine with compose answers, else native.
 */
export async function chooseMode() {
  const recorded = recordedMode();
  if (recorded) {
    step(`using the ${recorded} stack (recorded in ${MODE_FILE.replace(`${process.cwd()}/`, '')})`);
    return recorded;
  }
  const wanted = process.env.STACK_MODE;
  if (wanted && !MODES.includes(wanted)) throw new UserError(`STACK_MODE must be native or docker (got "${wanted}")`);
  if (wanted === 'native') return 'native';
  const docker = await dockerStatus();
  if (wanted === 'docker' && !docker.compose) {
    throw new UserError(
      docker.engine
        ? 'STACK_MODE=docker but `docker compose` is missing: install the Docker Compose v2 plugin, or unset STACK_MODE'
        : 'STACK_MODE=docker but no Docker engine answers (`docker info` failed): start Docker, or unset STACK_MODE',
    );
  }
  if (docker.compose) {
    step('a Docker engine answers: using docker compose (set STACK_MODE=native to use the native stack)');
    return 'docker';
  }
  if (docker.engine) warn('a Docker engine answers but `docker compose` is missing; using the native stack');
  else step('no Docker engine answers: using the native stack (tools/stack/stack.sh)');
  return 'native';
}

/** starts the stack (all servers), streaming progress; throws a UserError when it fails */
export async function stackUp(mode) {
  // the services' token-signing pair (.stack/keys): the native stack makes it too, compose mounts it
  localKeys.ensureLocalKeys();
  if (mode === 'docker') {
    step('docker compose up -d --wait');
    const { code } = await run('docker', ['compose', 'up', '-d', '--wait']);
    if (code !== 0) {
      throw new UserError(
        `docker compose up failed (exit ${code}). See the output above; \`docker compose ps\` and \`docker compose logs <service>\` show which container is unhealthy and why.`,
      );
    }
    return;
  }
  step(`bash ${STACK_SH} up`);
  const { code } = await run('bash', [STACK_SH, 'up']);
  if (code !== 0) {
    throw new UserError(
      `the native stack did not come up (${STACK_SH} exit ${code}). The "[stack] error:" line above names the server and what to fix; its log is in .stack/logs/<server>.log (\`npm run stack -- status\` shows every server).`,
    );
  }
}

/** stops the stack, or only the given servers; resolves the exit code */
export async function stackDown(mode, servers = []) {
  if (mode === 'docker') {
    const args = servers.length ? ['compose', 'stop', ...servers] : ['compose', 'down'];
    step(`docker ${args.join(' ')}`);
    return (await run('docker', args)).code;
  }
  step(`bash ${STACK_SH} down ${servers.join(' ')}`.trimEnd());
  return (await run('bash', [STACK_SH, 'down', ...servers])).code;
}

/**
 * { up, running, stopped }: up when every server is running and ready; running/stopped list the
 * servers by name (what `npm test` must stop again is what was stopped before it started the stack)
 */
export async function stackStatus(mode) {
  if (mode === 'docker') {
    const all = await quiet('docker', ['compose', 'config', '--services']);
    const live = await quiet('docker', ['compose', 'ps', '--services', '--status', 'running']);
    const names = (r) =>
      r.code === 0
        ? r.output
            .split('\n')
            .map((s) => s.trim())
            .filter(Boolean)
        : [];
    const running = names(live);
    const stopped = names(all).filter((s) => !running.includes(s));
    return {
      up: all.code === 0 && live.code === 0 && stopped.length === 0,
      running,
      stopped,
    };
  }
  // `stack.sh status` prints "<server>  <state> ..." per server and exits 0 only when all are ready
  const { code, output } = await quiet('bash', [STACK_SH, 'status']);
  const rows = output
    .split('\n')
    .map((l) => l.match(/^([a-z0-9_-]+)\s+(\S.*)$/))
    .filter(Boolean);
  const running = rows.filter((m) => !m[2].startsWith('stopped')).map((m) => m[1]);
  const stopped = rows.filter((m) => m[2].startsWith('stopped')).map((m) => m[1]);
  return { up: code === 0, running, stopped };
}

/**
 * runs `work` with the stack up: starts it if it is not, and stops again afterwards only what it
 * started. for the long checks (npm run rollout, npm run faults).
 */
export async function withStack(step, work) {
  const mode = await chooseMode();
  const before = await stackStatus(mode);
  if (!before.up) {
    step('the stack is not up: starting it (it is stopped again at the end)');
    await stackUp(mode);
  }
  try {
    return await work();
  } finally {
    if (!before.up) await stackDown(mode, before.running.length ? before.stopped : []);
  }
}
