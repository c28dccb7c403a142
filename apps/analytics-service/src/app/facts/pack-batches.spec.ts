import { packBatches } from './facts.repository';

const row = (id: string, bytes = 100) => ({ query: `insert ${id}`, params: [id], bytes });
const partitions = (counts: Record<string, number[]>) =>
  new Map(Object.entries(counts).map(([p, sizes]) => [p, sizes.map((bytes, i) => row(`${p}#${i}`, bytes))]));

describe('packBatches', () => {
  it("puts one event's rows, a few partitions, into one batch", () => {
    const batches = packBatches(partitions({ history: [300], 'series/a': [100], 'series/b': [100], sales: [100, 100], currencies: [80] }));
    expect(batches).toHaveLength(1);
    expect(batches[0]).toHaveLength(6);
  });

  it('keeps each batch within 10 partitions and about 4 KB, and every row in exactly one batch, in order', () => {
    const input = partitions({
      history: Array(50).fill(300),
      'series/confirmed': Array(50).fill(100),
      'series/revenue': Array(50).fill(100),
      sales: Array(50).fill(120),
      ...Object.fromEntries(Array.from({ length: 14 }, (_, i) => [`tiny/${i}`, [70]])),
    });
    const batches = packBatches(input);
    for (const b of batches) {
      expect(b.reduce((n, r) => n + r.bytes, 0)).toBeLessThanOrEqual(4_000);
      expect(new Set(b.map((r) => r.query.split('#')[0])).size).toBeLessThanOrEqual(10);
    }
    expect(batches.flat().map((r) => r.query)).toEqual([...input.values()].flat().map((r) => r.query));
    // 200 rows of ~150 bytes and 14 small ones: a handful of requests, not one per row
    expect(batches.length).toBeLessThanOrEqual(12);
  });

  it('sends a row larger than a batch on its own', () => {
    const batches = packBatches(partitions({ small: [100], huge: [60_000], after: [100] }));
    expect(batches.map((b) => b.map((r) => r.query))).toEqual([['insert small#0'], ['insert huge#0'], ['insert after#0']]);
  });

  it('starts a new batch at the eleventh partition', () => {
    const batches = packBatches(partitions(Object.fromEntries(Array.from({ length: 15 }, (_, i) => [`p${i}`, [50]]))));
    expect(batches.map((b) => b.length)).toEqual([10, 5]);
  });
});
