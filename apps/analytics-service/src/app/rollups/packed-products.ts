/**
 * a rollup's quantities per product as stored: one blob holding two json arrays, the product ids and
 * their quantities in the same order. a year's summary reads twelve of them; as a cassandra
 * map<text, bigint> each entry came back as a Long in an object keyed by product id, and decoding
 * them took longer than reading the rows (docs/performance.md)
 */
interface Packed {
  readonly ids: string[];
  readonly quantities: number[];
}

export function packProducts(products: ReadonlyMap<string, number>): Buffer {
  const packed: Packed = { ids: [...products.keys()], quantities: [...products.values()] };
  return Buffer.from(JSON.stringify(packed));
}

export function unpackProducts(blob: Buffer): Map<string, number> {
  const { ids, quantities } = JSON.parse(blob.toString('utf8')) as Packed;
  if (!Array.isArray(ids) || !Array.isArray(quantities) || ids.length !== quantities.length)
    throw new Error('a rollup holds a products column that is not two arrays of the same length');
  const products = new Map<string, number>();
  for (let i = 0; i < ids.length; i++) products.set(ids[i], quantities[i]);
  return products;
}
