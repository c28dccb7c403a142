// the MongoDB-wire server (mongo-java-server, no mongodump): every collection of every database but
// admin, local and config, as canonical extended JSON, one document a line (<db>/<collection>.ejson),
// with its options and index specs (<collection>.meta.json). a document's text is that line, so the
// checksums describe exactly what was written. restore drops each database of the backup, inserts
// the documents again and creates the indexes (a unique index is enforced from then on).
import { createReadStream, createWriteStream, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { BSON, MongoClient } from 'mongodb';
import { RowDigest, group } from './contents.mjs';

const { EJSON } = BSON;
const shape = { groups: 'databases', items: 'collections', unit: 'documents' };
const SYSTEM_DATABASES = ['admin', 'local', 'config'];
const BATCH = 1000;
const fileOf = (collection) => encodeURIComponent(collection);
const canonical = (doc) => EJSON.stringify(doc, { relaxed: false });

async function withClient(stack, work) {
  const client = new MongoClient(`mongodb://${stack.host}:${stack.settings.MONGODB_PORT}`, {
    directConnection: true,
    serverSelectionTimeoutMS: 5000,
  });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.close();
  }
}

const databases = async (client) =>
  (await client.db().admin().listDatabases({ nameOnly: true })).databases.map((d) => d.name).filter((n) => !SYSTEM_DATABASES.includes(n));

const collections = async (db) =>
  (await db.listCollections({}, { nameOnly: false }).toArray())
    .filter((c) => (c.type ?? 'collection') === 'collection' && !c.name.startsWith('system.'))
    .sort((a, b) => (a.name < b.name ? -1 : 1));

/** "email_1 {"email":1} unique": what the manifest compares of an index */
const indexLine = (ix) => `${ix.name} ${JSON.stringify(ix.key)}${ix.unique ? ' unique' : ''}`;

/** reads a collection, passing each document's line to `each`; resolves its record */
async function readCollection(db, name, each = (_line) => undefined) {
  const digest = new RowDigest();
  for await (const doc of db.collection(name).find({}, { batchSize: BATCH })) {
    const line = canonical(doc);
    digest.add(line);
    await each(line);
  }
  const indexes = await db.collection(name).listIndexes().toArray();
  return { ...digest.result(shape.unit), indexes: indexes.map(indexLine).sort(), specs: indexes };
}

async function inventory(stack, names) {
  return withClient(stack, async (client) => {
    const out = {};
    const present = await databases(client);
    for (const name of names ?? present) {
      if (!present.includes(name)) continue;
      const db = client.db(name);
      const items = {};
      for (const c of await collections(db)) {
        const { specs: _specs, ...record } = await readCollection(db, c.name);
        items[c.name] = record;
      }
      out[name] = group(shape, items);
    }
    return { [shape.groups]: out };
  });
}

async function backup(stack, dir) {
  return withClient(stack, async (client) => {
    const out = {};
    for (const name of await databases(client)) {
      const db = client.db(name);
      mkdirSync(join(dir, fileOf(name)), { recursive: true });
      const items = {};
      for (const c of await collections(db)) {
        const base = join(dir, fileOf(name), fileOf(c.name));
        const file = createWriteStream(`${base}.ejson`);
        const { specs, ...record } = await readCollection(db, c.name, async (line) => {
          if (!file.write(`${line}\n`)) await once(file, 'drain');
        });
        file.end();
        await once(file, 'finish');
        writeFileSync(`${base}.meta.json`, `${canonical({ options: c.options ?? {}, indexes: specs })}\n`);
        items[c.name] = record;
      }
      out[name] = group(shape, items);
    }
    const { version } = await client.db('admin').command({ buildInfo: 1 });
    return { version, saved: { layout: '<database>/<collection>.ejson and .meta.json' }, contents: { [shape.groups]: out } };
  });
}

async function restore(stack, dir, entry) {
  await withClient(stack, async (client) => {
    for (const [name, record] of Object.entries(entry.contents[shape.groups])) {
      const db = client.db(name);
      await db.dropDatabase();
      for (const collection of Object.keys(record[shape.items])) {
        const base = join(dir, fileOf(name), fileOf(collection));
        const meta = EJSON.parse(readFileSync(`${base}.meta.json`, 'utf8'), { relaxed: false });
        const target = await db.createCollection(collection, meta.options);
        let batch = [];
        const lines = createInterface({ input: createReadStream(`${base}.ejson`), crlfDelay: Infinity });
        for await (const line of lines) {
          if (!line) continue;
          batch.push(EJSON.parse(line, { relaxed: false }));
          if (batch.length === BATCH) {
            await target.insertMany(batch, { ordered: true });
            batch = [];
          }
        }
        if (batch.length) await target.insertMany(batch, { ordered: true });
        // _id_ comes with the collection; the server fills in v and ns
        const specs = meta.indexes.filter((ix) => ix.name !== '_id_').map(({ v: _v, ns: _ns, ...spec }) => spec);
        if (specs.length) await target.createIndexes(specs);
      }
    }
  });
}

export default { name: 'mongodb', shape, backup, restore, inventory };
