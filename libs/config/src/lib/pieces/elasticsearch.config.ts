import { z } from 'zod';
import { defineConfig, type ConfigValue } from '../define-config';
import { text, url } from '../env';

export const elasticsearchConfig = (indexPrefix: string) =>
  defineConfig(
    'elasticsearch',
    z.object({
      ELASTICSEARCH_NODE: url('http://127.0.0.1:9200', /^https?$/),
      ELASTICSEARCH_INDEX_PREFIX: text(indexPrefix),
    }),
    (v) => ({ node: v.ELASTICSEARCH_NODE, indexPrefix: v.ELASTICSEARCH_INDEX_PREFIX }),
  );

export type ElasticsearchConfig = ConfigValue<ReturnType<typeof elasticsearchConfig>>;
