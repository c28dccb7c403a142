import { MongoClient, type Collection, type Db, type IndexDescription } from 'mongodb';
import { randomUUID } from 'node:crypto';
import { loadConfig, mongodbConfig, readEnv } from '@ecom/config';
import { ensureCollections } from '../src';

// sorted pages, counts and lookups that fix a leading run of an index's fields, against the same
// answers worked out in memory from every document. on the local MongoDB-wire server these are read
// from its in-memory ordered indexes (adr 6), which the writes below keep up to date; on mongod from
// its own. either way the answers are mongod's: in the sort's order, deleted and explicitly-null
// fields treated as mongod treats them, and nothing missed or doubled after updates move documents.

const run = randomUUID().replace(/-/g, '').slice(0, 8);

interface Item {
  _id: string;
  category: string | string[];
  createdAt: Date;
  deletedAt?: Date | null;
  rank?: number;
  key?: string;
}

const LIVE = { deletedAt: null };
const INDEXES: IndexDescription[] = [
  { key: { deletedAt: 1, createdAt: 1, _id: 1 } },
  { key: { category: 1, deletedAt: 1, createdAt: 1, _id: 1 } },
  { key: { rank: -1 } },
  { key: { key: 1 }, unique: true, sparse: true },
];

const isLive = (i: Item) => i.deletedAt === undefined || i.deletedAt === null;
const byCreated = (a: Item, b: Item) => a.createdAt.getTime() - b.createdAt.getTime() || (a._id < b._id ? -1 : a._id > b._id ? 1 : 0);

describe('queries answered from ordered indexes', () => {
  let client: MongoClient;
  let db: Db;
  let items: Collection<Item>;
  // the documents as the test wrote them: what every answer is checked against
  const model = new Map<string, Item>();

  const all = () => [...model.values()];
  const written = (id: string): Item => {
    const item = model.get(id);
    if (!item) throw new Error(`the test never wrote ${id}`);
    return item;
  };
  const ids = (docs: readonly Item[]) => docs.map((d) => d._id);
  const page = async (filter: object, sort: 1 | -1, skip: number, limit: number) =>
    ids(
      await items
        .find(filter)
        .sort({ createdAt: sort, _id: sort })
        .skip(skip)
        .limit(limit)
        .toArray(),
    );
  const expected = (keep: (i: Item) => boolean, sort: 1 | -1, skip: number, limit: number) => {
    const sorted = all().filter(keep).sort(byCreated);
    return ids((sort === 1 ? sorted : sorted.reverse()).slice(skip, skip + limit));
  };

  async function write(item: Item): Promise<void> {
    await items.replaceOne({ _id: item._id }, item, { upsert: true });
    model.set(item._id, item);
  }

  beforeAll(async () => {
    const uri = new URL(loadConfig([mongodbConfig('x')], readEnv()).mongodb.uri);
    uri.pathname = `/it_ordered_${run}`;
    client = await new MongoClient(uri.toString()).connect();
    db = client.db();
    // half the documents before the indexes exist (an index built from the data), half after
    items = db.collection<Item>('items');
    const start = Date.UTC(2026, 0, 1);
    const make = (n: number): Item => ({
      _id: `i${String(n).padStart(4, '0')}`,
      category: `c${n % 4}`,
      // two at a time share a createdAt: ties are broken by _id
      createdAt: new Date(start + Math.floor(n / 2) * 1000),
      ...(n % 7 === 3 && { deletedAt: new Date(start) }),
      ...(n % 11 === 4 && { deletedAt: null }),
      rank: n % 13,
    });
    for (let n = 0; n < 150; n++) await write(make(n));
    await ensureCollections(db, [{ name: 'items', indexes: INDEXES }]);
    for (let n = 150; n < 300; n++) await write(make(n));
  });

  afterAll(async () => {
    await db?.dropDatabase();
    await client?.close();
  });

  it('pages the live documents in order, both ways, at any depth', async () => {
    for (const sort of [1, -1] as const)
      for (const skip of [0, 7, 100, 240, 400]) expect(await page(LIVE, sort, skip, 20)).toEqual(expected(isLive, sort, skip, 20));
  });

  it('pages one category in order, and counts it and all live documents', async () => {
    const inC2 = (i: Item) => isLive(i) && i.category === 'c2';
    expect(await page({ ...LIVE, category: 'c2' }, 1, 10, 15)).toEqual(expected(inC2, 1, 10, 15));
    expect(await page({ ...LIVE, category: 'c2' }, -1, 0, 15)).toEqual(expected(inC2, -1, 0, 15));
    expect(await items.countDocuments({ ...LIVE, category: 'c2' })).toBe(all().filter(inC2).length);
    expect(await items.countDocuments(LIVE)).toBe(all().filter(isLive).length);
    expect(await items.countDocuments({ category: 'c9' })).toBe(0);
  });

  it('keeps pages and counts right as documents are updated, deleted and inserted', async () => {
    // moves: a new createdAt, deleted, undeleted, another category, removed, added
    const first = expected(isLive, 1, 0, 5);
    await write({ ...written(first[0]), createdAt: new Date(Date.UTC(2027, 0, 1)) });
    await write({ ...written(first[1]), deletedAt: new Date() });
    const gone = all().find((i) => i.deletedAt instanceof Date);
    if (!gone) throw new Error('no deleted document to bring back');
    await write({ ...gone, deletedAt: null });
    await write({ ...written(first[2]), category: 'c2' });
    await items.deleteOne({ _id: first[3] });
    model.delete(first[3]);
    await items.updateMany({ category: 'c1' }, { $set: { createdAt: new Date(Date.UTC(2025, 0, 1)) } });
    for (const i of all()) if (i.category === 'c1') model.set(i._id, { ...i, createdAt: new Date(Date.UTC(2025, 0, 1)) });
    await write({ _id: 'new', category: 'c2', createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, 30)) });

    for (const sort of [1, -1] as const) expect(await page(LIVE, sort, 0, 300)).toEqual(expected(isLive, sort, 0, 300));
    expect(await items.countDocuments(LIVE)).toBe(all().filter(isLive).length);
    const inC2 = (i: Item) => isLive(i) && i.category === 'c2';
    expect(await page({ ...LIVE, category: 'c2' }, 1, 0, 300)).toEqual(expected(inC2, 1, 0, 300));
    expect(await items.countDocuments({ ...LIVE, category: 'c2' })).toBe(all().filter(inC2).length);
  });

  it('answers a filter with more than the fixed fields, and a descending index', async () => {
    const recent = new Date(Date.UTC(2026, 0, 1, 0, 2));
    const filter = { ...LIVE, category: 'c3', createdAt: { $gte: recent } };
    const keep = (i: Item) => isLive(i) && i.category === 'c3' && i.createdAt >= recent;
    expect(await page(filter, 1, 2, 10)).toEqual(expected(keep, 1, 2, 10));
    expect(await items.countDocuments(filter)).toBe(all().filter(keep).length);
    const ranked = ids(await items.find({ rank: 5 }).sort({ _id: 1 }).toArray());
    expect(ranked).toEqual(ids(all().filter((i) => i.rank === 5)).sort());
    const top = await items.find({}).sort({ rank: -1 }).limit(10).toArray();
    expect(top.map((i) => i.rank)).toEqual(Array(10).fill(12));
  });

  it('finds by a unique key with more conditions, and stays right once a field holds an array', async () => {
    await write({ _id: 'keyed', key: 'k-1', category: 'c0', createdAt: new Date() });
    expect(ids(await items.find({ key: 'k-1', ...LIVE }).toArray())).toEqual(['keyed']);
    expect(await items.countDocuments({ key: 'k-1', deletedAt: { $exists: true } })).toBe(0);
    // an array in an indexed field: mongod indexes each element, and the answers still match it
    await write({ _id: 'tagged', category: ['c0', 'c2'], createdAt: new Date(Date.UTC(2026, 0, 1, 0, 1)) });
    const inC2 = (i: Item) => isLive(i) && (Array.isArray(i.category) ? i.category.includes('c2') : i.category === 'c2');
    expect(await page({ ...LIVE, category: 'c2' }, 1, 0, 300)).toEqual(expected(inC2, 1, 0, 300));
    expect(await items.countDocuments({ ...LIVE, category: 'c2' })).toBe(all().filter(inC2).length);
  });

  it('drops the indexes a collection no longer uses, once', async () => {
    await ensureCollections(db, [{ name: 'items', indexes: INDEXES, retiredIndexes: ['rank_-1', 'never_there_1'] }]);
    const names = (await items.indexes()).map((i) => i.name);
    expect(names).not.toContain('rank_-1');
    expect(names).toContain('deletedAt_1_createdAt_1__id_1');
    await expect(ensureCollections(db, [{ name: 'items', indexes: INDEXES, retiredIndexes: ['rank_-1'] }])).resolves.toBeUndefined();
  });
});
