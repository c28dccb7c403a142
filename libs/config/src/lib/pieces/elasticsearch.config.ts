import { z } from 'zod';
import { defineConfig, type ConfigValue } from '../define-config';
import { text, url } from '../env';
import { caFilePath } from './tls';

export const elasticsearchConfig = (indexPrefix: string) =>
  defineConfig(
    'elasticsearch',
    z.object({
      ELASTICSEARCH_NODE: url('http://127.0.0.1:9200', /^https?$/),
      ELASTICSEARCH_INDEX_PREFIX: text(indexPrefix),
      // copies of each shard beside its primary: 0 on one node (the local stack), 1 or more on a cluster so
      // a node lost loses no shard. applied when the service starts, to the index behind each alias too
      ELASTICSEARCH_INDEX_REPLICAS: z.coerce.number().int('must be a whole number').min(0, 'must be 0 or more').default(0),
      // with an https node: the CA that signed its certificate (PEM file), as ECK creates it. unset: the
      // system's CAs
      ELASTICSEARCH_CA_FILE: caFilePath(),
    }),
    (v) => ({
      node: v.ELASTICSEARCH_NODE,
      indexPrefix: v.ELASTICSEARCH_INDEX_PREFIX,
      indexReplicas: v.ELASTICSEARCH_INDEX_REPLICAS,
      caFile: v.ELASTICSEARCH_CA_FILE,
    }),
  );

export type ElasticsearchConfig = ConfigValue<ReturnType<typeof elasticsearchConfig>>;
