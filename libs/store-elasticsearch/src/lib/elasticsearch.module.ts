import { DynamicModule, Inject, Injectable, Module, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Client } from '@elastic/elasticsearch';
import type { estypes } from '@elastic/elasticsearch';
import { readCaFile, type ElasticsearchConfig } from '@ecom/config';
import { HealthRegistry } from '@ecom/health';
import { ElasticsearchHealthIndicator } from './elasticsearch.health';
import { withStartupRetry } from '@ecom/resilience';
import { ensureIndex } from './ensure-index';

export const ELASTICSEARCH = Symbol('ecom:elasticsearch');
const INDICES = Symbol('ecom:elasticsearch-indices');

export interface IndexDefinition {
  /** what readers and writers use, without the configured prefix: an alias of the index that holds the data */
  readonly alias: string;
  /** the index created behind the alias at first start, without the prefix; a rebuild puts a new one there */
  readonly name: string;
  readonly mappings: estypes.MappingTypeMapping;
  readonly settings?: estypes.IndicesIndexSettings;
}

/** the service's client: the config's node, with its certificate checked against the CA file when one is set */
export function elasticsearchClient(cfg: ElasticsearchConfig): Client {
  return new Client({
    node: cfg.node,
    requestTimeout: 10_000,
    ...(cfg.caFile && { tls: { ca: readCaFile('ELASTICSEARCH_CA_FILE', cfg.caFile), rejectUnauthorized: true } }),
  });
}

/** the full index name: the configured prefix keeps services and test runs apart */
export function indexName(cfg: Pick<ElasticsearchConfig, 'indexPrefix'>, name: string): string {
  return `${cfg.indexPrefix}-${name}`;
}

@Injectable()
class ElasticsearchSetup implements OnModuleInit, OnApplicationShutdown {
  constructor(
    @Inject(ELASTICSEARCH) private readonly client: Client,
    @Inject(INDICES) private readonly indices: readonly IndexDefinition[],
    private readonly config: ConfigService,
    private readonly registry: HealthRegistry,
    private readonly indicator: ElasticsearchHealthIndicator,
  ) {}

  /** each index (and its alias) is created with its explicit mapping by whichever replica gets there first */
  async onModuleInit(): Promise<void> {
    const cfg = this.config.getOrThrow<ElasticsearchConfig>('elasticsearch');
    await withStartupRetry(
      'elasticsearch',
      cfg.node,
      () => this.client.cluster.health({ wait_for_status: 'yellow', timeout: '5s' }),
      120_000,
    );
    for (const def of this.indices)
      await ensureIndex(this.client, indexName(cfg, def.alias), indexName(cfg, def.name), def, cfg.indexReplicas);
    this.registry.register(() => this.indicator.isHealthy('elasticsearch', this.client));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.client.close();
  }
}

@Module({})
export class ElasticsearchModule {
  static forRoot(indices: readonly IndexDefinition[]): DynamicModule {
    return {
      module: ElasticsearchModule,
      global: true,
      providers: [
        ElasticsearchHealthIndicator,
        { provide: INDICES, useValue: indices },
        {
          provide: ELASTICSEARCH,
          inject: [ConfigService],
          useFactory: (c: ConfigService) => elasticsearchClient(c.getOrThrow<ElasticsearchConfig>('elasticsearch')),
        },
        ElasticsearchSetup,
      ],
      exports: [ELASTICSEARCH],
    };
  }
}
