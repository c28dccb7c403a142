import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

// outage tests stop and start one server of the running stack, the way the stack was started:
// docker compose when npm start/test recorded that mode, the native stack.sh otherwise

const ROOT = resolve(__dirname, '../../../..');

function mode(): 'docker' | 'native' {
  const file = join(ROOT, '.stack/run/mode');
  return existsSync(file) && readFileSync(file, 'utf8').trim() === 'docker' ? 'docker' : 'native';
}

export type StackServer = 'postgres' | 'redis' | 'kafka' | 'cassandra' | 'elasticsearch' | 'mongodb';

// compose names the mongodb service after its image
const composeName = (server: StackServer) => (server === 'mongodb' ? 'mongo' : server);

export function stopServer(server: StackServer): void {
  if (mode() === 'docker') execFileSync('docker', ['compose', 'stop', composeName(server)], { cwd: ROOT, stdio: 'inherit' });
  else execFileSync('bash', ['tools/stack/stack.sh', 'down', server], { cwd: ROOT, stdio: 'inherit' });
}

export function startServer(server: StackServer): void {
  if (mode() === 'docker') execFileSync('docker', ['compose', 'up', '-d', '--wait', composeName(server)], { cwd: ROOT, stdio: 'inherit' });
  else execFileSync('bash', ['tools/stack/stack.sh', 'up', server], { cwd: ROOT, stdio: 'inherit' });
}

/**
 * kill -9 of a server and everything it started, as when its container or node dies: no shutdown
 * hook runs, nothing is flushed. the native stack starts each server in a session of its own, so
 * signalling the process group reaches every process of it.
 */
export function killServer(server: StackServer): void {
  if (mode() === 'docker') {
    execFileSync('docker', ['compose', 'kill', '-s', 'SIGKILL', composeName(server)], { cwd: ROOT, stdio: 'inherit' });
    return;
  }
  const file = join(ROOT, '.stack/run', `${server}.pid`);
  if (!existsSync(file)) throw new Error(`${server} is not running (no ${file})`);
  const pid = Number(readFileSync(file, 'utf8').trim().split(/\s+/)[0]);
  process.kill(-pid, 'SIGKILL');
}
