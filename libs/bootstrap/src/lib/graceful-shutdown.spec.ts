import { request as httpRequest } from 'node:http';
import { createServer } from 'node:net';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createServiceApp } from './create-service-app';
import { gracefulShutdown } from './graceful-shutdown';
import { managementServer } from './management';
import { LifecycleProbe, thingsService } from './things.spec-helper';

// httpConfig refuses port 0, so ask the os for a free port first
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

function get(port: number, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

async function waitUntil(condition: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('gracefulShutdown', () => {
  let app: NestFastifyApplication;
  let port: number;
  const exit = jest.fn<void, [number]>();

  beforeEach(async () => {
    exit.mockReset();
    port = await freePort();
    app = await createServiceApp(thingsService, { env: { LOG_LEVEL: 'silent', HTTP_PORT: String(port) } });
    await app.listen({ host: '127.0.0.1', port });
  });

  it('lets the in-flight request finish, then tears modules down, refuses new connections and exits 0', async () => {
    const managementPort = await freePort();
    await managementServer(app).listen({ host: '127.0.0.1', port: managementPort });
    const slow = get(port, '/things/slow');
    // shutdown must begin while the request is in its handler, however slow the machine is
    while (!app.get(LifecycleProbe).slowStarted) await new Promise((resolve) => setTimeout(resolve, 5));

    const shutdown = gracefulShutdown(app, { timeoutMs: 5000, exit });
    const done = shutdown('SIGTERM');
    // a second signal joins the running shutdown instead of starting another
    expect(shutdown('SIGINT')).toBe(done);

    await expect(slow).resolves.toEqual({ status: 200, body: '{"done":true}' });
    await done;
    expect(exit.mock.calls).toEqual([[0]]);
    expect(app.get(LifecycleProbe).events).toEqual(['slow request finished', 'module destroyed']);
    await expect(get(port, '/health/live')).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    // the management listener is closed too, after the rest
    await expect(get(managementPort, '/health/live')).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('keeps the management listener answering while the public one drains', async () => {
    const managementPort = await freePort();
    await managementServer(app).listen({ host: '127.0.0.1', port: managementPort });
    app.get(LifecycleProbe).hangOnDestroy = true;
    void gracefulShutdown(app, { timeoutMs: 1000, exit })('SIGTERM');
    await waitUntil(async () => (await get(port, '/health/live').catch((e: { code?: string }) => e.code)) === 'ECONNREFUSED');
    // modules hang in their teardown: metrics and the readiness details are still there to look at
    expect(await get(managementPort, '/health/ready')).toMatchObject({ status: 503, body: expect.stringContaining('shutting_down') });
    await managementServer(app).close();
    // the time limit still ends it
    await waitUntil(async () => exit.mock.calls.length > 0);
    expect(exit.mock.calls).toEqual([[1]]);
  });

  it('exits 1 once the time limit passes while something still hangs', async () => {
    app.get(LifecycleProbe).hangOnDestroy = true;
    const started = Date.now();
    void gracefulShutdown(app, { timeoutMs: 200, exit })('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(exit.mock.calls).toEqual([[1]]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(200);
  });
});
