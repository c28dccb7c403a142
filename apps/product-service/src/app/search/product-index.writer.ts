import { Inject, Injectable } from '@nestjs/common';
import type { Client } from '@elastic/elasticsearch';
import { ELASTICSEARCH } from '@ecom/store-elasticsearch';
import type { EventEnvelope, EventsMap } from '@ecom/events';

const statusOf = (e: unknown) => (e as { meta?: { statusCode?: number } }).meta?.statusCode;

/**
 * writes catalog events into a search index. external versioning makes it idempotent and order-proof:
 * a redelivered or late event never overwrites a newer one (es answers 409, which means the index
 * already holds this version or a newer one: nothing to do). the live consumer writes through the
 * alias; a rebuild writes the same way into its new index.
 */
@Injectable()
export class ProductIndexWriter {
  constructor(@Inject(ELASTICSEARCH) private readonly es: Client) {}

  async upserted(index: string, { payload, occurredAt }: EventEnvelope<EventsMap['product.upserted']>): Promise<void> {
    await this.es
      .index({
        index,
        id: payload.productId,
        version: payload.version,
        version_type: 'external',
        document: { ...payload, updatedAt: occurredAt },
      })
      .catch((e: unknown) => {
        if (statusOf(e) !== 409) throw e;
      });
  }

  async deleted(index: string, { payload }: EventEnvelope<EventsMap['product.deleted']>): Promise<void> {
    await this.es.delete({ index, id: payload.productId, version: payload.version, version_type: 'external' }).catch((e: unknown) => {
      const status = statusOf(e);
      if (status !== 404 && status !== 409) throw e;
    });
  }
}
