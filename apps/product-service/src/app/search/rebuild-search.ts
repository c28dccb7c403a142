import { Client } from '@elastic/elasticsearch';
import { loadConfig, readEnv, type ElasticsearchConfig } from '@ecom/config';
import { Topics, type EventEnvelope, type EventsMap } from '@ecom/events';
import type { ReadModelRebuild, RebuildJob } from '@ecom/kafka';
import { createIndex, indexBehind, indexName, swapAlias } from '@ecom/store-elasticsearch';
import { searchRebuildConfig } from '../product.config';
import { productSearchIndex } from '../product-search.index';
import { ProductIndexWriter } from './product-index.writer';

/** a rebuild's index: the definition's name and when it was made, e.g. products-catalog-v2-r20261201t213005 */
export function rebuildIndexName(cfg: Pick<ElasticsearchConfig, 'indexPrefix'>, at: Date): string {
  const stamp = at.toISOString().replace(/[-:]/g, '').replace(/\..*$/, '').toLowerCase();
  return indexName(cfg, `${productSearchIndex.name}-r${stamp}`);
}

/**
 * the search index rebuilt from product.upserted and product.deleted into a new index with the
 * current mapping; then the alias moves to it in one atomic step, so a search answers from the old
 * index or the new, complete one, never from neither
 */
export function searchRebuild(es: Client, cfg: ElasticsearchConfig, at = new Date()): ReadModelRebuild {
  const writer = new ProductIndexWriter(es);
  const alias = indexName(cfg, productSearchIndex.alias);
  const copy = rebuildIndexName(cfg, at);
  // the two topics are replayed side by side, so a product's deletion may come long before its last
  // upsert: es forgets a deletion's version after index.gc_deletes (60 s), and the upsert would bring
  // the product back. the replay remembers every deletion it saw instead
  const deleted = new Map<string, number>();
  const upserted = async (event: EventEnvelope<EventsMap['product.upserted']>) => {
    if ((deleted.get(event.payload.productId) ?? -1) < event.payload.version) await writer.upserted(copy, event);
  };
  const removed = async (event: EventEnvelope<EventsMap['product.deleted']>) => {
    const { productId, version } = event.payload;
    deleted.set(productId, Math.max(version, deleted.get(productId) ?? -1));
    await writer.deleted(copy, event);
  };
  return {
    name: `search index ${alias}`,
    topics: [Topics.ProductUpserted, Topics.ProductDeleted],
    settleMs: 0, // es resolves the alias per request: a write after the swap goes to the new index
    async prepare() {
      await createIndex(es, copy, productSearchIndex, { replicas: cfg.indexReplicas });
      return copy;
    },
    handle: (topic, event) =>
      topic === Topics.ProductDeleted
        ? removed(event as EventEnvelope<EventsMap['product.deleted']>)
        : upserted(event as EventEnvelope<EventsMap['product.upserted']>),
    async switchOver() {
      // what was written becomes searchable before the first search reaches it
      await es.indices.refresh({ index: copy });
      const previous = await indexBehind(es, alias);
      await swapAlias(es, alias, copy, previous);
      return previous;
    },
    async drop(index) {
      await es.indices.delete({ index, ignore_unavailable: true });
    },
  };
}

/** `node main.js rebuild` of product-service */
export async function searchRebuildJob(): Promise<RebuildJob> {
  const cfg = loadConfig(searchRebuildConfig, readEnv());
  const es = new Client({ node: cfg.elasticsearch.node, requestTimeout: 10_000 });
  return { kafka: cfg.kafka, model: searchRebuild(es, cfg.elasticsearch), close: () => es.close() };
}
