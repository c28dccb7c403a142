import { errors, type Client } from '@elastic/elasticsearch';
import type { IndexDefinition } from './elasticsearch.module';

/** another replica created the index first (es answers 400 resource_already_exists_exception) */
export function isIndexAlreadyExists(e: unknown): boolean {
  return e instanceof errors.ResponseError && e.statusCode === 400 && e.body?.error?.type === 'resource_already_exists_exception';
}

/**
 * creates the index with its explicit mapping; dynamic fields are refused. no `exists` first:
 * that check and the create would race between replicas, and the create alone settles it.
 * an index that already exists keeps its mapping; changing one takes a new index, not a restart.
 */
export async function ensureIndex(client: Client, index: string, def: IndexDefinition): Promise<void> {
  try {
    await client.indices.create({ index, mappings: { dynamic: 'strict', ...def.mappings }, settings: def.settings });
  } catch (e) {
    if (!isIndexAlreadyExists(e)) throw e;
  }
}
