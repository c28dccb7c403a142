import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomUUID } from 'node:crypto';
import { createServiceApp } from '@ecom/bootstrap';
import { bearerFor, waitFor } from '@ecom/testing';
import { productService } from '../src/app/product.service';

// search fed only by the catalog's events: writes show up in the index, ranked, highlighted, faceted

describe('product-service search (real mongodb, kafka, elasticsearch)', () => {
  let app: NestFastifyApplication;
  let admin: string;
  const run = randomUUID().replace(/-/g, '').slice(0, 8);
  const ids: Record<string, string> = {};

  const create = async (sku: string, name: string, category: string, amount: number, description = '') => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/products',
      headers: { authorization: admin },
      payload: {
        sku: `${sku}-${run}`,
        name: `${name} ${run}`,
        description,
        price: { amount, currency: 'EUR' },
        stock: 5,
        category: `${category}-${run}`,
        tags: [],
      },
    });
    ids[sku] = res.json().id;
  };
  const search = async (query: string) => (await app.inject({ method: 'GET', url: `/api/products/search?${query}` })).json();

  beforeAll(async () => {
    app = await createServiceApp(productService);
    admin = await bearerFor('admin');
    await create('kettle', 'Copper kettle', 'kitchen', 4500, 'a kettle for tea');
    await create('teapot', 'Clay teapot', 'kitchen', 3000, 'brews green tea');
    await create('tea', 'Green tea', 'pantry', 1200, 'loose leaf tea');
    await waitFor('the three products in the index', async () => (await search(`q=${run}`)).total === 3, { timeoutMs: 20_000 });
  });

  afterAll(async () => {
    await app?.close();
  });

  it('ranks by relevance, with highlights and category facets with counts', async () => {
    const res = await search(`q=tea ${run}`);
    expect(res.items[0].id).toBe(ids['tea']);
    expect(res.items[0].highlights.name.join(' ')).toContain('<em>tea</em>');
    // facets count the hits of the query: ask for this run's products only, so earlier runs' data on a
    // long-lived stack cannot crowd its categories out of the top buckets
    expect((await search(`q=${run}`)).facets.category).toEqual(
      expect.arrayContaining([
        { value: `kitchen-${run}`, count: 2 },
        { value: `pantry-${run}`, count: 1 },
      ]),
    );
  });

  it('filters by category and price range, and pages with a total', async () => {
    const kitchen = await search(`q=${run}&category=kitchen-${run}&maxPrice=4000`);
    expect(kitchen.items.map((i: { id: string }) => i.id)).toEqual([ids['teapot']]);
    const page = await search(`q=${run}&limit=2&page=2`);
    expect(page).toMatchObject({ page: 2, limit: 2, total: 3 });
    expect(page.items).toHaveLength(1);
    expect((await app.inject({ method: 'GET', url: '/api/products/search?minPrice=5&maxPrice=1' })).statusCode).toBe(400);
  });

  it('refuses a page past the 10,000th hit with a 400 that shows nothing of the query', async () => {
    for (const url of ['/api/products/search?q=tea&page=101&limit=100', '/api/products/search?q=tea&page=10000&limit=100']) {
      const res = await app.inject({ method: 'GET', url });
      expect(res.statusCode).toBe(400);
      expect(res.json().detail).toMatch(/^page × limit must not go past result 10000/);
      expect(res.body).not.toMatch(/multi_match|max_result_window|search_phase_execution/);
    }
    expect((await app.inject({ method: 'GET', url: '/api/products/search?q=tea&page=100&limit=100' })).statusCode).toBe(200);
  });

  it('follows updates and deletions from the events', async () => {
    await app.inject({
      method: 'PATCH',
      url: `/api/products/${ids['kettle']}`,
      headers: { authorization: admin },
      payload: { name: `Steel kettle ${run}` },
    });
    await waitFor('the renamed kettle', async () => (await search(`q=steel ${run}`)).items[0]?.id === ids['kettle']);
    await app.inject({ method: 'DELETE', url: `/api/products/${ids['teapot']}`, headers: { authorization: admin } });
    await waitFor('the teapot to leave the index', async () => (await search(`q=${run}`)).total === 2);
  });

  it('escapes the text of highlights, keeping only its own <em> tags', async () => {
    const marker = `esc${run}`;
    const res = await app.inject({
      method: 'POST',
      url: '/api/products',
      headers: { authorization: admin },
      payload: {
        sku: `xss-${run}`,
        name: `<img src=x onerror=alert(1)> ${marker}`,
        description: `<script>alert("${marker}")</script> & more`,
        price: { amount: 100, currency: 'EUR' },
        stock: 1,
        category: `xss-${run}`,
        tags: [],
      },
    });
    expect(res.statusCode).toBe(201);
    const hit = await waitFor('the product in the index', async () => (await search(`q=${marker}`)).items[0]);
    const shown = [...hit.highlights.name, ...hit.highlights.description].join(' ');
    expect(shown).toContain(`<em>${marker}</em>`);
    expect(shown).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(shown).toContain('&lt;script&gt;');
    expect(shown.replace(/<\/?em>/g, '')).not.toMatch(/[<>]/);
  });
});
