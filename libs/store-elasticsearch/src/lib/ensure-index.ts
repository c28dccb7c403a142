import { errors, type Client } from '@elastic/elasticsearch';
import type { IndexDefinition } from './elasticsearch.module';

/** another replica created the index first (es answers 400 resource_already_exists_exception) */
export function isIndexAlreadyExists(e: unknown): boolean {
  return e instanceof errors.ResponseError && e.statusCode === 400 && e.body?.error?.type === 'resource_already_exists_exception';
}

/**
 * creates an index with the definition's explicit mapping, which refuses dynamic fields, and `replicas`
 * copies of each shard (ELASTICSEARCH_INDEX_REPLICAS)
 */
export async function createIndex(
  client: Client,
  index: string,
  def: IndexDefinition,
  { replicas, aliases }: { replicas: number; aliases?: string[] },
): Promise<void> {
  await client.indices.create({
    index,
    mappings: { dynamic: 'strict', ...def.mappings },
    settings: { ...def.settings, number_of_replicas: replicas },
    ...(aliases && { aliases: Object.fromEntries(aliases.map((a) => [a, {}])) }),
  });
}

/**
 * readers and writers use the alias; the index behind it is created at first start, as `index`,
 * with its explicit mapping. once the alias exists nothing is touched: the index behind it keeps its
 * mapping, and a rebuild may have put another index there (a new mapping ships as a rebuild, not a
 * restart). no `exists` before the create: that check and the create would race between replicas,
 * and the create alone settles it. an index of that name from before the alias gets the alias.
 */
export async function ensureIndex(client: Client, alias: string, index: string, def: IndexDefinition, replicas: number): Promise<void> {
  if (await client.indices.existsAlias({ name: alias })) {
    // the one dynamic setting the service owns: a changed ELASTICSEARCH_INDEX_REPLICAS applies at the next start
    await client.indices.putSettings({ index: alias, settings: { number_of_replicas: replicas } });
    return;
  }
  try {
    await createIndex(client, index, def, { replicas, aliases: [alias] });
  } catch (e) {
    if (!isIndexAlreadyExists(e)) throw e;
    await client.indices.updateAliases({ actions: [{ add: { index, alias } }] });
  }
}

/** the index an alias points at, if it exists (a read model's alias has one) */
export async function indexBehind(client: Client, alias: string): Promise<string | undefined> {
  if (!(await client.indices.existsAlias({ name: alias }))) return undefined;
  return Object.keys(await client.indices.getAlias({ name: alias }))[0];
}

/** points the alias at `to` instead of `from`, atomically: every request sees one or the other */
export async function swapAlias(client: Client, alias: string, to: string, from?: string): Promise<void> {
  await client.indices.updateAliases({
    actions: [...(from ? [{ remove: { index: from, alias } }] : []), { add: { index: to, alias } }],
  });
}
