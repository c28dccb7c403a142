import { Controller, Module, type INestApplicationContext } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AppConfigModule, kafkaConfig, loadConfig, readEnv, serviceConfig } from '@ecom/config';
import { createEnvelope, Topics, type EventEnvelope, type EventsMap } from '@ecom/events';
import { HealthModule } from '@ecom/health';
import { waitFor } from '@ecom/testing';
import { EventHandler, EventProducer, KafkaModule } from '../src';
import { consumerApp } from '../testing';

// shutdown lets a running handler finish and commits its offset, so the next instance of the
// service does not see the event again

const run = randomUUID().slice(0, 8);
const started: string[] = [];
const finished: string[] = [];

@Controller()
class SlowMessageController {
  @EventHandler(Topics.ProductUpserted)
  async onProductUpserted(event: EventEnvelope<EventsMap['product.upserted']>): Promise<void> {
    if (!event.payload.sku.endsWith(run)) return;
    started.push(event.id);
    await new Promise((r) => setTimeout(r, 1_500));
    finished.push(event.id);
  }
}

function product(productId: string, sku: string): EventsMap['product.upserted'] {
  return {
    productId,
    version: 1,
    sku,
    name: 'Slow',
    description: '',
    price: { amount: 100, currency: 'EUR' },
    stock: 1,
    category: 'test',
    tags: [],
  };
}

@Module({ controllers: [SlowMessageController] })
class SlowModule {}

async function consumerService(): Promise<INestApplicationContext> {
  const name = `it-drain-${run}`;
  const values = loadConfig([serviceConfig(name), kafkaConfig(name)], readEnv());
  return consumerApp([AppConfigModule.forRoot(values), HealthModule, KafkaModule, SlowModule]);
}

describe('kafka consumer shutdown (real kafka)', () => {
  it('drains the running handler before closing and commits its offset', async () => {
    let app = await consumerService();
    const envelope = createEnvelope(Topics.ProductUpserted, product(`p-${run}`, `sku-${run}`), { key: `p-${run}` });
    await app.get(EventProducer).sendBatch([{ topic: Topics.ProductUpserted, envelope }]);
    await waitFor('the handler to start', () => started.includes(envelope.id), { timeoutMs: 60_000 });

    await app.close();
    expect(finished).toEqual([envelope.id]);

    // a new instance of the same consumer group: the committed event does not come back
    app = await consumerService();
    const marker = createEnvelope(Topics.ProductUpserted, product(`m-${run}`, `marker-${run}`), { key: `p-${run}` });
    await app.get(EventProducer).sendBatch([{ topic: Topics.ProductUpserted, envelope: marker }]);
    await waitFor('the marker behind it', () => finished.includes(marker.id), { timeoutMs: 60_000 });
    expect(started.filter((id) => id === envelope.id)).toHaveLength(1);
    await app.close();
  });
});
