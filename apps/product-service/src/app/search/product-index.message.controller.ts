import { Controller } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { ElasticsearchConfig } from '@ecom/config';
import { indexName } from '@ecom/store-elasticsearch';
import { Topics, type EventEnvelope, type EventsMap } from '@ecom/events';
import { EventHandler } from '@ecom/kafka';
import { productSearchIndex } from '../product-search.index';
import { ProductIndexWriter } from './product-index.writer';

/** keeps the search index in step with the catalog, from its events only, through the index's alias */
@Controller()
export class ProductIndexMessageController {
  private readonly alias: string;

  constructor(
    private readonly writer: ProductIndexWriter,
    config: ConfigService,
  ) {
    this.alias = indexName(config.getOrThrow<ElasticsearchConfig>('elasticsearch'), productSearchIndex.alias);
  }

  @EventHandler(Topics.ProductUpserted)
  async onProductUpserted(event: EventEnvelope<EventsMap['product.upserted']>): Promise<void> {
    await this.writer.upserted(this.alias, event);
  }

  @EventHandler(Topics.ProductDeleted)
  async onProductDeleted(event: EventEnvelope<EventsMap['product.deleted']>): Promise<void> {
    await this.writer.deleted(this.alias, event);
  }
}
