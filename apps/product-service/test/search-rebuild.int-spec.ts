import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ConfigService } from '@nestjs/config';
import { randomUUID } from 'node:crypto';
import type { Client } from '@elastic/elasticsearch';
import { createServiceApp } from '@ecom/bootstrap';
import type { ElasticsearchConfig, KafkaConfig } from '@ecom/config';
import { TopicNames } from '@ecom/events';
import { createKafka, rebuildReadModel, type ReadModelRebuild } from '@ecom/kafka';
import { ELASTICSEARCH, indexName } from '@ecom/store-elasticsearch';
import { bearerFor, waitFor } from '@ecom/testing';
import { productService } from '../src/app/product.service';
import { productSearchIndex } from '../src/app/product-search.index';
import { searchRebuild } from '../src/app/search/rebuild-search';

// npm run rebuild -- search, against the running service: the index rebuilt by replay holds what the
// live one held, searches answer in full all along, and what changes during the rebuild ends up in it

interface Doc {
  readonly id: string;
  readonly version: number;
  readonly source: unknown;
}

describe('search index rebuilt by replay (real mongodb, kafka, elasticsearch)', () => {
  let app: NestFastifyApplication;
  let admin: string;
  let es: Client;
  let alias: string;
  const run = randomUUID().replace(/-/g, '').slice(0, 8);
  const quiet = { log: () => undefined, warn: () => undefined, error: () => undefined };

  const request = (method: 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object) =>
    app.inject({ method, url, headers: { authorization: admin }, ...(payload && { payload }) });
  const create = async (n: number) => {
    const res = await request('POST', '/api/products', {
      sku: `r${n}-${run}`,
      name: `Rebuilt thing ${n} ${run}`,
      description: `number ${n}`,
      price: { amount: 100 + n, currency: 'EUR' },
      stock: n,
      category: `rebuild-${run}`,
      tags: [`t${n % 3}`],
    });
    expect(res.statusCode).toBe(201);
    return res.json().id as string;
  };
  const search = async (q: string) => app.inject({ method: 'GET', url: `/api/products/search?q=${encodeURIComponent(q)}&limit=100` });
  const total = async (q: string) => (await search(q)).json().total as number;
  /** every document of an index (or the alias), with its version */
  const docs = async (index: string): Promise<Doc[]> => {
    await es.indices.refresh({ index });
    const res = await es.search({ index, size: 1_000, version: true, query: { match_all: {} }, sort: [{ productId: 'asc' }] });
    return res.hits.hits.map((h) => ({ id: h._id as string, version: h._version as number, source: h._source }));
  };

  beforeAll(async () => {
    app = await createServiceApp(productService);
    admin = await bearerFor('admin');
    es = app.get<Client>(ELASTICSEARCH);
    alias = indexName(app.get(ConfigService).getOrThrow<ElasticsearchConfig>('elasticsearch'), productSearchIndex.alias);
  });

  afterAll(async () => {
    await app?.close();
  });

  it('equals the live index, answers every search in full while it runs, and keeps what changed meanwhile', async () => {
    const ids = await Promise.all(Array.from({ length: 12 }, (_, i) => create(i)));
    await request('PATCH', `/api/products/${ids[0]}`, { name: `Renamed thing ${run}` });
    await request('PATCH', `/api/products/${ids[1]}`, { price: { amount: 999, currency: 'EUR' } });
    await request('DELETE', `/api/products/${ids[2]}`);
    await request('DELETE', `/api/products/${ids[3]}`);
    // a fresh run's topics and consumer group take a while to settle before the first event is indexed
    // the run's other test files share the index: this test's products are its category
    const ours = async (index: string) =>
      (await docs(index)).filter((d) => (d.source as { category: string }).category === `rebuild-${run}`);
    const named = async (index: string, id: string, name: string) =>
      (await docs(index)).some((d) => d.id === id && (d.source as { name: string }).name === name);
    await waitFor(
      'the live index to hold the catalog',
      async () => (await ours(alias)).length === 10 && (await named(alias, ids[0], `Renamed thing ${run}`)) && (await total(run)) === 10,
      { timeoutMs: 90_000, intervalMs: 500 },
    );
    const live = await docs(alias);
    const before = live.find((d) => d.id === ids[4]);
    expect(await ours(alias)).toHaveLength(10);

    // searches all along: each must answer 200 with all ten products
    const answers: number[] = [];
    let reading = true;
    const reader = (async () => {
      while (reading) {
        const res = await search(run);
        answers.push(res.statusCode === 200 ? res.json().total : -res.statusCode);
        await new Promise((r) => setTimeout(r, 20));
      }
    })();

    const cfg = app.get(ConfigService);
    const kafka = cfg.getOrThrow<KafkaConfig>('kafka');
    const model = searchRebuild(es, cfg.getOrThrow<ElasticsearchConfig>('elasticsearch'));
    // a change the live consumer writes into the old index after the replay read to the end, before
    // the swap: the replay's last catch-up must bring it into the new one
    const changed: ReadModelRebuild = {
      ...model,
      switchOver: async () => {
        await request('PATCH', `/api/products/${ids[4]}`, { name: `Changed meanwhile ${run}` });
        await waitFor('the change in the old index', () => named(alias, ids[4], `Changed meanwhile ${run}`));
        return model.switchOver();
      },
    };
    const report = await rebuildReadModel(createKafka(kafka), new TopicNames(kafka.topicPrefix), kafka.groupId, changed, {
      keepPrevious: true,
      log: quiet,
    });
    reading = false;
    await reader;

    expect(report.copy).not.toBe(report.previous);
    expect(report.skipped).toBe(0);
    expect(Object.keys(await es.indices.getAlias({ name: alias }))).toEqual([report.copy]);
    expect(answers.length).toBeGreaterThan(5);
    expect(answers.every((n) => n === 10)).toBe(true);

    // the new index holds what the live one held, the change made during the rebuild at its new version
    const rebuilt = await docs(report.copy);
    const changedDoc = rebuilt.find((d) => d.id === ids[4]);
    expect(changedDoc?.version).toBeGreaterThan(before?.version ?? Infinity);
    expect(changedDoc?.source).toMatchObject({ name: `Changed meanwhile ${run}` });
    const others = (list: Doc[]) => list.filter((d) => d.id !== ids[4]);
    expect(others(rebuilt)).toEqual(others(live));
    // the deleted products stay deleted, though product.upserted still holds their last upsert
    expect(rebuilt.map((d) => d.id)).not.toEqual(expect.arrayContaining([ids[2]]));
    expect(rebuilt.map((d) => d.id)).not.toEqual(expect.arrayContaining([ids[3]]));

    // the live consumer writes into the new index from now on
    await request('PATCH', `/api/products/${ids[5]}`, { name: `After the swap ${run}` });
    await waitFor('a later change in the new index', () => named(report.copy, ids[5], `After the swap ${run}`));
    expect((await docs(report.previous ?? '')).some((d) => (d.source as { name: string }).name === `After the swap ${run}`)).toBe(false);
  }, 240_000);

  it('drops the previous index unless asked to keep it, and leaves nothing behind when it fails', async () => {
    const cfg = app.get(ConfigService);
    const kafka = cfg.getOrThrow<KafkaConfig>('kafka');
    const names = new TopicNames(kafka.topicPrefix);
    const previous = Object.keys(await es.indices.getAlias({ name: alias }))[0];
    const report = await rebuildReadModel(
      createKafka(kafka),
      names,
      kafka.groupId,
      searchRebuild(es, cfg.getOrThrow<ElasticsearchConfig>('elasticsearch'), new Date(Date.now() + 1_000)),
      { log: quiet },
    );
    expect(report).toMatchObject({ previous, droppedPrevious: true });
    expect(await es.indices.exists({ index: previous })).toBe(false);
    expect(await total(run)).toBe(10);

    const broken = searchRebuild(es, cfg.getOrThrow<ElasticsearchConfig>('elasticsearch'), new Date(Date.now() + 2_000));
    const failing: ReadModelRebuild = { ...broken, switchOver: () => Promise.reject(new Error('no swap today')) };
    await expect(rebuildReadModel(createKafka(kafka), names, kafka.groupId, failing, { log: quiet })).rejects.toThrow('no swap today');
    expect(Object.keys(await es.indices.getAlias({ name: alias }))).toEqual([report.copy]);
    expect(
      Object.keys(
        await es.indices.get({ index: `${indexName(cfg.getOrThrow<ElasticsearchConfig>('elasticsearch'), productSearchIndex.name)}-r*` }),
      ),
    ).toEqual([report.copy]);
  });
});
