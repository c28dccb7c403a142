import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

// the stack command's failure paths, each with a message that says what to fix. a throwaway
// STACK_HOME keeps these runs apart from the stack the other tests use.

const STACK = resolve(__dirname, '../../stack/stack.sh');

function stack(args: string[], env: Record<string, string>) {
  const res = spawnSync('bash', [STACK, ...args], { env: { ...process.env, ...env }, encoding: 'utf8', timeout: 120_000 });
  return { code: res.status, out: `${res.stdout}${res.stderr}` };
}

describe('stack.sh', () => {
  let home: string;
  let server: Server;
  let port: number;

  beforeAll(async () => {
    home = mkdtempSync(join(tmpdir(), 'stack-cli-'));
    server = createServer().listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    port = (server.address() as { port: number }).port;
  });

  afterAll(() => {
    server.close();
    rmSync(home, { recursive: true, force: true });
  });

  it('refuses a taken port, naming the server and the port', () => {
    const { code, out } = stack(['up', 'redis'], { STACK_HOME: home, REDIS_PORT: String(port) });
    expect(code).toBe(1);
    expect(out).toContain(`redis: port ${port} on 127.0.0.1 is already taken by another process`);
  });

  it('rejects an unknown server with the list of known ones', () => {
    const { code, out } = stack(['up', 'mysql'], { STACK_HOME: home });
    expect(code).toBe(1);
    expect(out).toContain("unknown server 'mysql'; known: postgres redis kafka cassandra elasticsearch mongodb");
  });

  it('reports stopped servers with a non-zero status', () => {
    const { code, out } = stack(['status', 'redis'], { STACK_HOME: home });
    expect(code).toBe(1);
    expect(out).toMatch(/redis\s+stopped/);
  });

  it('prints its usage on a bad command', () => {
    const { code, out } = stack(['launch'], { STACK_HOME: home });
    expect(code).toBe(2);
    expect(out).toContain('stack.sh up [server...]');
  });
});
