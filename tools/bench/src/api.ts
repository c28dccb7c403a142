import { randomUUID } from 'node:crypto';

/** a JSON call that must succeed; the error names the route and what came back */
export async function call<T>(base: string, method: string, path: string, token?: string, body?: unknown): Promise<T> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: token } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 300)}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

export interface Product {
  readonly id: string;
  readonly sku: string;
}

/** a catalog entry with plenty of stock, created as an admin through the api */
export function createProduct(base: string, admin: string, n: number, stock: number): Promise<Product> {
  return call<Product>(base, 'POST', '/api/products', admin, {
    sku: `BENCH-${randomUUID().slice(0, 8)}-${n}`,
    name: `Bench item ${n}`,
    description: 'an item of the benchmark catalog',
    price: { amount: 100 + (n % 900), currency: 'EUR' },
    stock,
    category: `bench-${n % 20}`,
    tags: ['bench'],
  });
}
