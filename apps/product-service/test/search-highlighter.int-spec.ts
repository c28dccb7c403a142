import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomUUID } from 'node:crypto';
import type { Client } from '@elastic/elasticsearch';
import { createServiceApp } from '@ecom/bootstrap';
import { createIndex, ELASTICSEARCH, swapAlias } from '@ecom/store-elasticsearch';
import { productSearchIndex } from '../src/app/product-search.index';
import { productService } from '../src/app/product.service';

// the highlighter follows the index behind the alias, on real elasticsearch: the fast vector highlighter
// on an index of the current version (term vectors kept), the unified one on an older index, as after an
// upgrade and before `npm run rebuild -- search`. a typo's word is highlighted either way

describe('product-service search highlights by index version (real elasticsearch)', () => {
  const run = randomUUID().replace(/-/g, '').slice(0, 8);
  const prefix = `hl-${run}`;
  const alias = `${prefix}-${productSearchIndex.alias}`;
  let app: NestFastifyApplication;
  let es: Client;
  const highlighters: (string | undefined)[] = [];

  const product = (n: number, name: string) => ({
    productId: randomUUID(),
    sku: `HL-${run}-${n}`,
    name: `${name} ${run}`,
    description: `a ${name.toLowerCase()} for the highlight test`,
    category: `hl-${run}`,
    tags: [],
    price: { amount: 1000, currency: 'EUR' },
    stock: 1,
    version: 1,
    updatedAt: new Date().toISOString(),
  });
  const fill = async (index: string) => {
    for (const [n, name] of ['Clay teapot', 'Copper kettle'].entries()) {
      const doc = product(n, name);
      await es.index({ index, id: doc.productId, document: doc });
    }
    await es.indices.refresh({ index });
  };
  // a typo ("teapto"): found by the fuzzy query, and highlighted as the word it matched
  const searchTypo = async () =>
    (await app.inject({ method: 'GET', url: `/api/products/search?q=teapto ${run}&category=hl-${run}` })).json();

  beforeAll(async () => {
    app = await createServiceApp(productService, { env: { ...process.env, ELASTICSEARCH_INDEX_PREFIX: prefix } });
    es = app.get<Client>(ELASTICSEARCH);
    await fill(alias);
    const search = es.search.bind(es);
    jest.spyOn(es, 'search').mockImplementation(((params: { highlight?: { type?: string } }, options?: unknown) => {
      highlighters.push(params.highlight?.type ?? 'unified');
      return search(params as never, options as never);
    }) as never);
  });

  afterAll(async () => {
    // by name: the server refuses wildcards in a delete
    const indices = [`${prefix}-${productSearchIndex.name}`, `${prefix}-catalog-v1`];
    await es?.indices.delete({ index: indices, ignore_unavailable: true });
    await app?.close();
  });

  it('highlights with the fast vector highlighter on the current version', async () => {
    const res = await searchTypo();
    expect(res.items[0].name).toBe(`Clay teapot ${run}`);
    expect(res.items[0].highlights.name.join(' ')).toContain('<em>teapot</em>');
    expect(highlighters).toEqual(['fvh']);
  });

  it('falls back to the unified highlighter once the alias points at an index without term vectors', async () => {
    // the mapping before term vectors: the same, less term_vector
    const { name, description, ...others } = productSearchIndex.mappings.properties as Record<string, Record<string, unknown>>;
    const strip = (field: Record<string, unknown>) => Object.fromEntries(Object.entries(field).filter(([key]) => key !== 'term_vector'));
    const older = `${prefix}-catalog-v1`;
    await createIndex(
      es,
      older,
      { ...productSearchIndex, mappings: { properties: { ...others, name: strip(name), description: strip(description) } } } as never,
      {
        replicas: 0,
      },
    );
    await fill(older);
    await swapAlias(es, alias, older, `${prefix}-${productSearchIndex.name}`);
    highlighters.length = 0;

    const first = await searchTypo();
    expect(first.items[0].highlights.name.join(' ')).toContain('<em>teapot</em>');
    // refused once (no term vectors), asked again with the unified highlighter, which the next search keeps
    expect(highlighters).toEqual(['fvh', 'unified']);
    const second = await searchTypo();
    expect(second.items[0].highlights.name.join(' ')).toContain('<em>teapot</em>');
    expect(highlighters).toEqual(['fvh', 'unified', 'unified']);
  });
});
