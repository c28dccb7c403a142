import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { Kafka } from 'kafkajs';
import { allTopicSpecs, TopicNames } from '@ecom/events';
import { KAFKA } from '../tokens';
import { ensureTopics } from './ensure-topics';

/** creates the declared topics once kafka answers; producers and consumers wait on it */
@Injectable()
export class TopicsReady implements OnApplicationBootstrap {
  private readonly log = new Logger(TopicsReady.name);
  private done?: Promise<void>;

  constructor(
    @Inject(KAFKA) private readonly kafka: Kafka,
    private readonly names: TopicNames,
  ) {}

  onApplicationBootstrap(): void {
    void this.ready().catch(() => undefined);
  }

  ready(): Promise<void> {
    this.done ??= this.create().catch((e: unknown) => {
      this.done = undefined; // try again on the next call
      throw e;
    });
    return this.done;
  }

  private async create(): Promise<void> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const created = await ensureTopics(admin, this.names.specs(allTopicSpecs()));
      if (created.length > 0) this.log.log({ created }, 'created topics');
    } finally {
      await admin.disconnect();
    }
  }
}
