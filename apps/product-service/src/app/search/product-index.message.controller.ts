import { Controller, Inject } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Client } from '@elastic/elasticsearch';
import type { ElasticsearchConfig } from '@ecom/config';
import { ELASTICSEARCH, indexName } from '@ecom/store-elasticsearch';
import { Topics, type EventEnvelope, type EventsMap } from '@ecom/events';
import { EventHandler } from '@ecom/kafka';
import { productSearchIndex } from '../product-search.index';

/** a version conflict means the index already holds this version or a newer one: nothing to do */
function isStale(e: unknown): boolean {
  return (e as { meta?: { statusCode?: number } }).meta?.statusCode === 409;
}

/**
 * keeps the search index in step with the catalog, from its events only. external versioning
 * makes it idempotent and order-proof: a redelivered or late event never overwrites a newer one.
 */
@Controller()
export class ProductIndexMessageController {
  private readonly index: string;

  constructor(
    @Inject(ELASTICSEARCH) private readonly es: Client,
    config: ConfigService,
  ) {
    this.index = indexName(config.getOrThrow<ElasticsearchConfig>('elasticsearch'), productSearchIndex.name);
  }

  @EventHandler(Topics.ProductUpserted)
  async onProductUpserted({ payload, occurredAt }: EventEnvelope<EventsMap['product.upserted']>): Promise<void> {
    await this.es
      .index({
        index: this.index,
        id: payload.productId,
        version: payload.version,
        version_type: 'external',
        document: { ...payload, updatedAt: occurredAt },
      })
      .catch((e: unknown) => {
        if (!isStale(e)) throw e;
      });
  }

  @EventHandler(Topics.ProductDeleted)
  async onProductDeleted({ payload }: EventEnvelope<EventsMap['product.deleted']>): Promise<void> {
    await this.es
      .delete({ index: this.index, id: payload.productId, version: payload.version, version_type: 'external' })
      .catch((e: unknown) => {
        const status = (e as { meta?: { statusCode?: number } }).meta?.statusCode;
        if (status !== 404 && !isStale(e)) throw e;
      });
  }
}
