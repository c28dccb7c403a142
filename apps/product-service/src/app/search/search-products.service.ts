import { BadRequestException, Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { errors } from '@elastic/elasticsearch';
import { ConfigService } from '@nestjs/config';
import type { Client, estypes } from '@elastic/elasticsearch';
import type { ElasticsearchConfig } from '@ecom/config';
import { ELASTICSEARCH, indexBehind, indexName } from '@ecom/store-elasticsearch';
import type { ProductUpserted } from '@ecom/events';
import { offsetOf } from '@ecom/http';
import { isCurrentSearchIndex, productSearchIndex } from '../product-search.index';
import type { SearchProductsQuery } from './search-products.query.dto';

export interface SearchHit extends Omit<ProductUpserted, 'productId'> {
  id: string;
  score: number;
  highlights: Record<string, string[]>;
}

export interface SearchResult {
  items: SearchHit[];
  page: number;
  limit: number;
  total: number;
  facets: { category: { value: string; count: number }[] };
}

/** elasticsearch's index.max_result_window: no page may end past this many hits */
export const MAX_SEARCH_RESULTS = 10_000;

/** how often a replica looks again at which index is behind the alias (a rebuild moves it) */
const INDEX_CHECK_MS = 60_000;

/** an index without term vectors refusing the fast vector highlighter */
const isNoTermVectors = (e: unknown) => e instanceof errors.ResponseError && e.statusCode === 400 && /term vector/.test(e.message);

/** full-text search over the index the catalog's events feed; standard analyzer only (adr 3) */
@Injectable()
export class SearchProductsService implements OnModuleInit, OnApplicationShutdown {
  private readonly log = new Logger(SearchProductsService.name);
  private readonly index: string;
  private readonly current: string;
  /**
   * highlights by the fast vector highlighter, from the term vectors an index of the current version
   * keeps: a fuzzy query's highlights cost elasticsearch about a quarter of what the unified highlighter
   * spends building an automaton per fuzzy term and field on every search (5 ms against 20). an older index behind the alias
   * (before `npm run rebuild -- search`) has none, and gets the unified highlighter
   */
  private fastHighlights = false;
  private check?: NodeJS.Timeout;

  constructor(
    @Inject(ELASTICSEARCH) private readonly es: Client,
    config: ConfigService,
  ) {
    const cfg = config.getOrThrow<ElasticsearchConfig>('elasticsearch');
    this.index = indexName(cfg, productSearchIndex.alias);
    this.current = indexName(cfg, productSearchIndex.name);
  }

  // after ElasticsearchModule's own init, which creates the index and its alias
  async onModuleInit(): Promise<void> {
    await this.checkIndex();
    this.check = setInterval(() => void this.checkIndex(), INDEX_CHECK_MS).unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.check);
  }

  /** whether the index behind the alias keeps term vectors; while elasticsearch does not answer, as it was */
  private async checkIndex(): Promise<void> {
    try {
      const behind = await indexBehind(this.es, this.index);
      this.fastHighlights = behind !== undefined && isCurrentSearchIndex(behind, this.current);
    } catch (e) {
      this.log.warn({ err: (e as Error).message }, 'could not tell which index is behind the search alias; highlighting as before');
    }
  }

  async search(q: SearchProductsQuery): Promise<SearchResult> {
    if (q.minPrice !== undefined && q.maxPrice !== undefined && q.minPrice > q.maxPrice) {
      throw new BadRequestException('minPrice must not be above maxPrice');
    }
    if (q.page * q.limit > MAX_SEARCH_RESULTS) {
      throw new BadRequestException(`page × limit must not go past result ${MAX_SEARCH_RESULTS}; narrow the search instead`);
    }
    const filter: estypes.QueryDslQueryContainer[] = [
      ...(q.category ? [{ term: { category: q.category } }] : []),
      ...(q.minPrice !== undefined || q.maxPrice !== undefined
        ? [{ range: { 'price.amount': { gte: q.minPrice, lte: q.maxPrice } } }]
        : []),
    ];
    const must: estypes.QueryDslQueryContainer = q.q
      ? { multi_match: { query: q.q, fields: ['name^3', 'tags^2', 'description'], fuzziness: 'AUTO' } }
      : { match_all: {} };
    const run = (fast: boolean) =>
      this.es.search<ProductUpserted, { category: estypes.AggregationsStringTermsAggregate }>({
        index: this.index,
        from: offsetOf(q),
        size: q.limit,
        track_total_hits: true,
        query: { bool: { must, filter } },
        // relevance first, then the id: a stable order across pages when scores tie
        sort: [{ _score: { order: 'desc' } }, { productId: { order: 'asc' } }],
        // the text around the <em> tags is html-escaped: a product name is no way into a shop's page
        highlight: { encoder: 'html', ...(fast && { type: 'fvh' as const }), fields: { name: {}, description: {} } },
        aggs: { category: { terms: { field: 'category', size: 20 } } },
      });
    const fast = this.fastHighlights;
    const res = await run(fast)
      .catch((e: unknown) => {
        // the alias moved to an index without term vectors since the last check: as it, until the next
        if (!fast || !isNoTermVectors(e)) throw e;
        this.fastHighlights = false;
        return run(false);
      })
      .catch((e: unknown) => {
        // elasticsearch refusing the query: say so without its text, which shows the query itself.
        // an outage (5xx, 429, no connection) goes on to the filter as a 503
        if (
          e instanceof errors.ResponseError &&
          e.statusCode !== undefined &&
          e.statusCode >= 400 &&
          e.statusCode < 500 &&
          e.statusCode !== 429
        ) {
          this.log.warn({ err: e.message, status: e.statusCode }, 'elasticsearch refused a search');
          throw new BadRequestException('the search could not be run with these parameters');
        }
        throw e;
      });
    const total = typeof res.hits.total === 'number' ? res.hits.total : (res.hits.total?.value ?? 0);
    const buckets = (res.aggregations?.category.buckets ?? []) as estypes.AggregationsStringTermsBucket[];
    return {
      items: res.hits.hits.map((h) => {
        const { productId, ...rest } = h._source as ProductUpserted;
        return { id: productId, ...rest, score: h._score ?? 0, highlights: h.highlight ?? {} };
      }),
      page: q.page,
      limit: q.limit,
      total,
      facets: { category: buckets.map((b) => ({ value: String(b.key), count: b.doc_count })) },
    };
  }
}
