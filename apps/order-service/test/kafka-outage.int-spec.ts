import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Kafka } from 'kafkajs';
import { createServiceApp } from '@ecom/bootstrap';
import { createEnvelope, Topics } from '@ecom/events';
import { EventProducer, KAFKA } from '@ecom/kafka';
import { bearerFor, findMessage, readiness, startServer, stopServer, untilReady, waitFor } from '@ecom/testing';
import { orderService } from '../src/app/order.service';

// the acceptance check for broker outages: orders are still taken while kafka is away (their
// events wait in the outbox), readiness reports kafka down within 10 s without taking the
// service out of the load balancer, and everything flows again once kafka is back: the outbox
// publishes, and the consumer (which kafkajs may have given up on while the coordinator was away)
// takes the catalog's answer

describe('order-service through a kafka outage', () => {
  let app: NestFastifyApplication;

  beforeAll(async () => {
    app = await createServiceApp(orderService);
    await untilReady(app);
  });

  afterAll(async () => {
    startServer('kafka'); // whatever happened, leave the stack as we found it
    await app?.close();
  });

  it('keeps taking orders and stays ready, reports kafka down within 10 s, and publishes and consumes again once kafka is back', async () => {
    const customer = await bearerFor('customer', 'kafka-outage-customer');
    stopServer('kafka');
    const down = await waitFor(
      'readiness to report kafka down',
      async () => {
        const r = await readiness(app);
        return r.body.details['kafka']?.status === 'down' && r;
      },
      { timeoutMs: 10_000, intervalMs: 250 },
    );
    expect(down.statusCode).toBe(200);
    expect(down.body.details['postgres'].status).toBe('up');

    const placed = await app.inject({
      method: 'POST',
      url: '/api/orders',
      headers: { authorization: customer },
      payload: { items: [{ productId: 'p-kafka-outage', quantity: 1 }] },
    });
    expect(placed.statusCode).toBe(202);
    const orderId: string = placed.json().id;

    startServer('kafka');
    await waitFor('kafka reported up again', async () => (await readiness(app)).body.details['kafka']?.status === 'up', {
      timeoutMs: 60_000,
      intervalMs: 500,
    });
    const event = await findMessage(app.get<Kafka>(KAFKA), Topics.OrderPlaced, (m) => m.key?.toString() === orderId, 60_000);
    expect(JSON.parse(String(event.value)).payload.orderId).toBe(orderId);

    await app.get(EventProducer).sendBatch([
      {
        topic: Topics.StockRejected,
        envelope: createEnvelope(Topics.StockRejected, { orderId, reason: 'after the outage' }, { key: orderId }),
      },
    ]);
    await waitFor(
      'the consumer to take stock.rejected after the outage',
      async () => {
        const order = await app.inject({ method: 'GET', url: `/api/orders/${orderId}`, headers: { authorization: customer } });
        return order.json().status === 'REJECTED';
      },
      { timeoutMs: 90_000, intervalMs: 500 },
    );
    expect((await readiness(app)).body.details['consumer']).toMatchObject({ status: 'up' });
  });
});
