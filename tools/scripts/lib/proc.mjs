// child processes, pid files and ports. pid files hold "<pid> <start time> [port]", the same
// format tools/stack/lib.sh writes, so a pid recycled by another process is never signalled.
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync, openSync, readSync, closeSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { UserError } from './ui.mjs';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const STACK_HOME = process.env.STACK_HOME || join(ROOT, '.stack');
export const RUN_DIR = join(STACK_HOME, 'run');
export const LOG_DIR = join(STACK_HOME, 'logs');
export const rel = (p) => relative(process.cwd(), p) || '.';

// what the scripts need to install the project and hand over to its own Node (below)
const NODE_MIN = [20, 19];

/**
 * the one Node the project runs on: the version of the `node` package in package.json's
 * devDependencies (the npm registry's package of Node itself, installed to node_modules/.bin/node),
 * the same as the images' base (tools/delivery-check checks .nvmrc, engines, the Dockerfile, the
 * workflow and @types/node agree)
 */
export const PROJECT_NODE = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).devDependencies.node;
const PROJECT_NODE_BIN = join(ROOT, 'node_modules', '.bin', 'node');
const REEXEC_MARK = 'ECOM_ON_PROJECT_NODE';

/** a Node new enough to install the project and start its own */
export function checkPrerequisites() {
  const [major, minor] = process.versions.node.split('.').map(Number);
  if (major < NODE_MIN[0] || (major === NODE_MIN[0] && minor < NODE_MIN[1])) {
    throw new UserError(
      `Node ${process.versions.node} is too old to install this project: it needs Node >= ${NODE_MIN.join('.')} for that, then runs on its own Node ${PROJECT_NODE}. Install a newer Node (e.g. \`nvm install\`, which reads .nvmrc) and run again.`,
    );
  }
}

/**
 * what every npm script does first: checks the Node it was started with, installs the dependencies
 * (the project's Node among them), and runs the script again on the project's Node when it is not
 * on it already. returns that run's exit code, for the caller to return; undefined to go on.
 */
export async function onProjectNode() {
  checkPrerequisites();
  await ensureDependencies();
  if (process.versions.node === PROJECT_NODE) {
    console.log(`[node] Node ${process.versions.node}`);
    return undefined;
  }
  if (process.env[REEXEC_MARK] || !existsSync(PROJECT_NODE_BIN)) {
    throw new UserError(
      `node_modules/.bin/node is not Node ${PROJECT_NODE} (package.json devDependencies.node): delete node_modules and run again`,
    );
  }
  console.log(`[node] started on Node ${process.versions.node}; running on the project's Node ${PROJECT_NODE} (node_modules/.bin/node)`);
  const env = { ...process.env, [REEXEC_MARK]: '1', PATH: `${dirname(PROJECT_NODE_BIN)}:${process.env.PATH ?? ''}` };
  const { code } = await run(PROJECT_NODE_BIN, process.argv.slice(1), { env, stdin: 'inherit' });
  return code;
}

/**
 * installs the npm dependencies when they are missing or older than package-lock.json, so a
 * fresh clone needs no separate step. npm ci is the reproducible install from the lockfile.
 */
export async function ensureDependencies() {
  const installed = join(ROOT, 'node_modules', '.package-lock.json');
  const lock = join(ROOT, 'package-lock.json');
  const fresh =
    existsSync(join(ROOT, 'node_modules', '.bin', 'nx')) && existsSync(installed) && statSync(installed).mtimeMs >= statSync(lock).mtimeMs;
  if (fresh) return;
  console.log('[deps] installing npm dependencies from package-lock.json (npm ci)');
  const { code, output } = await run('npm', ['ci', '--no-audit', '--no-fund'], { capture: true });
  if (code !== 0 && /EUSAGE/.test(output)) {
    throw new UserError(
      'npm ci refused package-lock.json: it is out of step with package.json (see above). Run `npm install` to update it, then commit both.',
    );
  }
  if (code !== 0) {
    throw new UserError(`npm ci failed (exit ${code}); see its output above. Check that the npm registry is reachable, then run again.`);
  }
}

export function ensureDirs() {
  mkdirSync(RUN_DIR, { recursive: true });
  mkdirSync(LOG_DIR, { recursive: true });
}

/**
 * runs a command from the repo root, output shown as it comes. with capture: true the output is
 * also collected (and returned as `output`). resolves { code } (code 1 when it could not start).
 * a command ended by a signal gets the shell's code for it (128 + its number), and says so on
 * stderr: nothing else would, so a run could otherwise end without a word.
 *
 * @param {string} cmd
 * @param {string[]} args
 * @param {{ env?: NodeJS.ProcessEnv, capture?: boolean, stdin?: 'ignore' | 'inherit' }} [options]
 * @returns {Promise<{ code: number, output: string, signal?: NodeJS.Signals, error?: Error }>}
 */
export function run(cmd, args, { env = process.env, capture = false, stdin = 'ignore' } = {}) {
  return new Promise((done) => {
    const child = spawn(cmd, args, {
      cwd: ROOT,
      env,
      stdio: [stdin, capture ? 'pipe' : 'inherit', capture ? 'pipe' : 'inherit'],
    });
    let output = '';
    if (capture && child.stdout && child.stderr) {
      child.stdout.on('data', (d) => {
        process.stdout.write(d);
        output += d;
      });
      child.stderr.on('data', (d) => {
        process.stderr.write(d);
        output += d;
      });
    }
    child.on('error', (e) => done({ code: 1, output: `${output}${cmd}: ${e.message}\n`, error: e }));
    child.on('close', (code, signal) => {
      if (code !== null || !signal) return done({ code: code ?? 1, output });
      const what = [cmd, ...args].join(' ');
      process.stderr.write(
        `${what.length > 120 ? `${what.slice(0, 117)}...` : what}: ended by ${signal}${signal === 'SIGKILL' ? ' (the kernel kills for lack of memory with it: see `dmesg`)' : ''}\n`,
      );
      done({ code: 128 + (os.constants.signals[signal] ?? 0), output, signal });
    });
  });
}

/**
 * runs a command silently; resolves { code, stdout, output } (output: stdout and stderr),
 * code null when it timed out or could not start
 */
export function quiet(cmd, args, { timeoutMs = 60_000 } = {}) {
  return new Promise((done) => {
    const child = spawn(cmd, args, {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: timeoutMs,
      killSignal: 'SIGKILL',
    });
    let stdout = '';
    let output = '';
    child.stdout.on('data', (d) => {
      stdout += d;
      output += d;
    });
    child.stderr.on('data', (d) => (output += d));
    child.on('error', () => done({ code: null, stdout, output }));
    child.on('close', (code) => done({ code, stdout, output }));
  });
}

/** when the process started: clock ticks since boot on linux (as lib.sh), else ps's lstart */
export function procStart(pid) {
  try {
    if (existsSync('/proc/self/stat')) {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      // fields after "(comm)" start at field 3; starttime is field 22
      return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
    }
    return (
      execFileSync('ps', ['-o', 'lstart=', '-p', String(pid)], {
        encoding: 'utf8',
      })
        .trim()
        .replace(/\s+/g, '_') || undefined
    );
  } catch {
    return undefined;
  }
}

export function writePidFile(file, pid, port) {
  writeFileSync(file, `${pid} ${procStart(pid) ?? '?'}${port ? ` ${port}` : ''}\n`);
}

export function readPidFile(file) {
  if (!existsSync(file)) return null;
  const [pid, start, port] = readFileSync(file, 'utf8').trim().split(/\s+/);
  return Number(pid) > 0 ? { pid: Number(pid), start, port: port ? Number(port) : undefined } : null;
}

/** the pid file's process if it is still running and still the process we started */
export function livePid(file) {
  const rec = readPidFile(file);
  return rec && rec.start && procStart(rec.pid) === rec.start ? rec.pid : null;
}

export const removeFile = (file) => rmSync(file, { force: true });

/** signals the process group (services run in their own session), falling back to the pid */
export function signal(pid, sig) {
  try {
    process.kill(-pid, sig);
  } catch {
    try {
      process.kill(pid, sig);
    } catch {
      /* already gone */
    }
  }
}

/** true when something accepts connections on 127.0.0.1:<port> */
export function portTaken(port, host = '127.0.0.1') {
  return new Promise((done) => {
    const socket = net.connect({ port, host });
    const finish = (taken) => {
      socket.destroy();
      done(taken);
    };
    socket.setTimeout(1000, () => finish(false));
    socket.once('connect', () => finish(true));
    socket.once('error', () => finish(false));
  });
}

export const fileSize = (file) => (existsSync(file) ? statSync(file).size : 0);

/** the last n lines of a file, reading only what was written after byte offset `from` */
export function tailLines(file, n, from = 0) {
  if (!existsSync(file)) return '';
  const size = statSync(file).size;
  const start = Math.max(from <= size ? from : 0, size - 256 * 1024);
  const buf = Buffer.alloc(size - start);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, buf, 0, buf.length, start);
  } finally {
    closeSync(fd);
  }
  return buf
    .toString('utf8')
    .split('\n')
    .filter((l, i, all) => l || i < all.length - 1)
    .slice(-n)
    .join('\n');
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
