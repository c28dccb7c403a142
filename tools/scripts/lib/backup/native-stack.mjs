// the native stack as npm run backup and restore see it. its settings come from `stack.sh env`, so
// the ports, users and directories (and their defaults) are declared in tools/stack only, and the
// same STACK_HOME and *_PORT variables address a second stack (the round-trip test's scratch one).
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import process from 'node:process';
import { ROOT } from '../proc.mjs';
import { recordedMode } from '../stack.mjs';
import { UserError } from '../ui.mjs';

const STACK_SH = join(ROOT, 'tools/stack/stack.sh');

/** the servers a backup covers, as stack.sh names them (kafka is not backed up) */
export const SERVERS = ['postgres', 'mongodb', 'cassandra', 'elasticsearch', 'redis'];

/**
 * runs a command; resolves { stdout, stderr }, rejects with its exit code and the end of its output
 * @param {string} cmd
 * @param {string[]} args
 * @param {{ env?: NodeJS.ProcessEnv }} [options]
 * @returns {Promise<{ stdout: string, stderr: string }>}
 */
export function exec(cmd, args, { env = process.env } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) return resolve({ stdout, stderr });
      const tail = `${stdout}${stderr}`.trim().split('\n').slice(-15).join('\n');
      reject(new Error(`${cmd.replace(/^.*\//, '')} ${args.join(' ')} failed (exit ${code}):\n${tail}`));
    });
  });
}

/** `bash stack.sh <args>` with this process's environment plus `env` */
export const stackSh = (args, env = {}) => exec('bash', [STACK_SH, ...args], { env: { ...process.env, ...env } });

/** the stack's settings (stack.sh env), checked to be the native stack with the given servers ready */
export async function openStack(servers = SERVERS) {
  if (recordedMode() === 'docker') {
    throw new UserError(
      'the stack runs in docker (recorded by npm start in .stack/run/mode). npm run backup and restore work on the native stack only: `npm stop`, then `STACK_MODE=native npm start`.',
    );
  }
  const settings = Object.fromEntries(
    (await stackSh(['env'])).stdout
      .split('\n')
      .filter((l) => l.includes('='))
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );
  await checkReady(servers);
  return {
    home: settings.STACK_HOME,
    host: settings.STACK_HOST,
    /** the unprivileged user the servers run as when started by root; undefined otherwise */
    user: settings.STACK_USER || undefined,
    settings,
  };
}

/** fails naming every server that is not running and answering, and the command that starts them */
async function checkReady(servers) {
  // `stack.sh status` prints "<server>  <state> ..." per server and exits 1 when one is not ready
  const res = await new Promise((resolve) => {
    const child = spawn('bash', [STACK_SH, 'status', ...servers], { cwd: ROOT, stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('close', () => resolve(out));
  });
  const ready = new Set(
    String(res)
      .split('\n')
      .filter((l) => /\bready\b/.test(l) && !/unhealthy/.test(l))
      .map((l) => l.split(/\s+/)[0]),
  );
  const down = servers.filter((s) => !ready.has(s));
  if (down.length) {
    const where = process.env.STACK_HOME ? ` (with this STACK_HOME and these ports)` : '';
    throw new UserError(
      `${down.join(', ')} ${down.length === 1 ? 'is' : 'are'} not running or not answering: start ${down.length === 1 ? 'it' : 'them'} with \`npm run stack -- up ${down.join(' ')}\`${where} and run again. \`npm run stack -- status\` shows every server.`,
    );
  }
}

/** hands files to the user the servers run as, so they can read (and move) what was put there */
export async function giveToStack(stack, ...paths) {
  if (stack.user) await exec('chown', ['-R', `${stack.user}:${stack.user}`, ...paths]);
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
