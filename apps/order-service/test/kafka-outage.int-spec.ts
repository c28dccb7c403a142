import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createServiceApp } from '@ecom/bootstrap';
import { readiness, startServer, stopServer, waitFor } from '@ecom/testing';
import { orderService } from '../src/app/order.service';

// the acceptance check for broker outages: readiness drops within 10 s of kafka going away
// and comes back once kafka is back, without restarting the service

describe('order-service readiness through a kafka outage', () => {
  let app: NestFastifyApplication;

  beforeAll(async () => {
    app = await createServiceApp(orderService);
    await waitFor('readiness before the outage', async () => (await readiness(app)).statusCode === 200);
  });

  afterAll(async () => {
    startServer('kafka'); // whatever happened, leave the stack as we found it
    await app?.close();
  });

  it('reports 503 naming kafka within 10 s, then 200 again after kafka restarts', async () => {
    stopServer('kafka');
    const down = await waitFor(
      'readiness to report kafka down',
      async () => {
        const r = await readiness(app);
        return r.statusCode === 503 && r;
      },
      { timeoutMs: 10_000, intervalMs: 250 },
    );
    expect(down.body.details['kafka'].status).toBe('down');
    expect(down.body.details['postgres'].status).toBe('up');

    startServer('kafka');
    await waitFor('readiness to recover', async () => (await readiness(app)).statusCode === 200, { timeoutMs: 60_000, intervalMs: 500 });
  });
});
