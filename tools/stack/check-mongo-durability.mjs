#!/usr/bin/env node
// checks that the native MongoDB-wire server keeps every acknowledged write across a kill -9, and
// that single-document updates stay atomic under concurrency (ADR 6).
//
//   node tools/stack/check-mongo-durability.mjs [--rounds 3] [--clients 8] [--scratch] [--no-races]
//
// each round: <clients> connections insert documents and update a per-client counter document
// (default write concern), the server is killed with SIGKILL mid-stream, restarted with
// `stack.sh up mongodb`, and every acknowledged insert (count and content) and update must be there.
// then the races: 20 clients on updateOne({_id, rev: 0}) must leave exactly one winner per round,
// 50 parallel $inc must give 50 and 50 parallel $push must keep 50 values.
//
// by default it uses the running stack's server (pid from .stack/run/mongodb.pid) and a database of
// its own, which it drops at the end; clients of other databases see the server restart. --scratch
// starts a private server instead (a temporary STACK_HOME, a free port) and removes it afterwards.
// exit status 0 when nothing was lost and every race held, 1 otherwise.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { MongoClient } from 'mongodb';

const here = dirname(fileURLToPath(import.meta.url));
const STACK_SH = join(here, 'stack.sh');
const REPO = resolve(here, '../..');
const DB = 'stack_durability_check';

const { values: opts } = parseArgs({
  options: {
    rounds: { type: 'string', default: '3' },
    clients: { type: 'string', default: '8' },
    scratch: { type: 'boolean', default: false },
    'no-races': { type: 'boolean', default: false },
    // another server: its uri, a file whose first word is its pid, and a command that restarts it
    uri: { type: 'string' },
    'pid-file': { type: 'string' },
    restart: { type: 'string' },
  },
});
const rounds = Number(opts.rounds);
const clients = Number(opts.clients);

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const log = (...a) => console.log('[durability]', ...a);

function freePort() {
  return new Promise((res, rej) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
    s.on('error', rej);
  });
}

function sh(cmd, env) {
  const r = spawnSync('bash', ['-c', cmd], { cwd: REPO, env: { ...process.env, ...env }, encoding: 'utf8', timeout: 180_000 });
  if (r.status !== 0) throw new Error(`\`${cmd}\` failed (exit ${r.status}):\n${r.stdout}${r.stderr}`);
  return r.stdout;
}

/** where the server is and how to kill and restart it */
async function target() {
  if (opts.scratch) {
    const home = mkdtempSync(join(tmpdir(), 'mongo-durability-'));
    chmodSync(home, 0o755); // the servers run as the stack user when started by root
    const port = await freePort();
    const env = { STACK_HOME: home, MONGODB_PORT: String(port) };
    const up = () => sh(`bash '${STACK_SH}' up mongodb`, env);
    up();
    return {
      uri: `mongodb://127.0.0.1:${port}`,
      pidFile: join(home, 'run/mongodb.pid'),
      restart: up,
      cleanup: () => {
        try {
          sh(`bash '${STACK_SH}' down mongodb`, env);
        } finally {
          rmSync(home, { recursive: true, force: true });
        }
      },
    };
  }
  if (opts.uri || opts['pid-file'] || opts.restart) {
    if (!(opts.uri && opts['pid-file'] && opts.restart)) throw new Error('--uri, --pid-file and --restart go together');
    return { uri: opts.uri, pidFile: opts['pid-file'], restart: () => sh(opts.restart), cleanup: () => {} };
  }
  const home = process.env.STACK_HOME ?? join(REPO, '.stack');
  const pidFile = join(home, 'run/mongodb.pid');
  if (!existsSync(pidFile)) throw new Error(`no ${pidFile}: start the stack first (npm run stack -- up), or use --scratch`);
  return {
    uri: `mongodb://127.0.0.1:${process.env.MONGODB_PORT ?? 27017}`,
    pidFile,
    restart: () => sh(`bash '${STACK_SH}' up mongodb`),
    cleanup: () => {},
  };
}

const connect = (uri, extra = {}) =>
  new MongoClient(uri, { directConnection: true, retryWrites: false, serverSelectionTimeoutMS: 2000, ...extra }).connect();

async function killHard(pidFile) {
  const pid = Number(readFileSync(pidFile, 'utf8').trim().split(/\s+/)[0]);
  if (!pid) throw new Error(`no pid in ${pidFile}`);
  // the stack starts each server as the leader of its own process group
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    process.kill(pid, 'SIGKILL');
  }
  for (let i = 0; i < 100 && existsSync(`/proc/${pid}`); i++) await sleep(50);
  return pid;
}

const payload = (c, i) => `${c}:${i}:${'x'.repeat(64 + ((c * 31 + i) % 200))}`;

/** one writer: inserts, and every third step an update of its counter document; stops at the first error */
async function writer(uri, coll, c, state) {
  const acked = { counter: false, inserts: [], incs: 0, pushed: [] };
  let attemptedIncs = 0;
  let client;
  try {
    client = await connect(uri);
    const col = client.db(DB).collection(coll);
    await col.insertOne({ _id: `counter-${c}`, n: 0, pushed: [] });
    acked.counter = true;
    for (let i = 0; ; i++) {
      await col.insertOne({ _id: `${c}-${i}`, c, i, s: payload(c, i) });
      acked.inserts.push(i);
      state.acked++;
      if (i % 3 === 0) {
        attemptedIncs++;
        await col.updateOne({ _id: `counter-${c}` }, { $inc: { n: 1 }, $push: { pushed: i } });
        acked.incs++;
        acked.pushed.push(i);
        state.acked++;
      }
    }
  } catch (e) {
    if (!state.killed) throw e;
  } finally {
    await client?.close(true).catch(() => {});
  }
  return { c, acked, attemptedIncs };
}

async function durabilityRound(t, round) {
  const coll = `round${round}`;
  const state = { acked: 0, killed: false };
  const writers = Array.from({ length: clients }, (_, c) => writer(t.uri, coll, c, state));
  // once writes are flowing, kill at a random moment
  const deadline = Date.now() + 30_000;
  while (state.acked < 20 && Date.now() < deadline) await sleep(5);
  if (state.acked < 20) throw new Error(`round ${round}: only ${state.acked} writes acknowledged in 30 s`);
  await sleep(200 + Math.floor(Math.random() * 1000));
  state.killed = true;
  const ackedAtKill = state.acked;
  const pid = await killHard(t.pidFile);
  const results = await Promise.all(writers);
  const t0 = Date.now();
  t.restart();
  const restartMs = Date.now() - t0;

  const client = await connect(t.uri, { serverSelectionTimeoutMS: 30_000 });
  try {
    const col = client.db(DB).collection(coll);
    let lostInserts = 0;
    let badContent = 0;
    let lostUpdates = 0;
    let expected = 0;
    const docs = new Map((await col.find({}).toArray()).map((d) => [d._id, d]));
    for (const { c, acked, attemptedIncs } of results) {
      expected += acked.inserts.length;
      for (const i of acked.inserts) {
        const d = docs.get(`${c}-${i}`);
        if (!d) lostInserts++;
        else if (d.c !== c || d.i !== i || d.s !== payload(c, i)) badContent++;
      }
      const counter = docs.get(`counter-${c}`);
      // an update in flight at the kill may or may not have been applied
      if (!acked.counter) continue;
      if (!counter || counter.n < acked.incs || counter.n > attemptedIncs) lostUpdates++;
      else if (acked.pushed.some((v, k) => counter.pushed[k] !== v)) lostUpdates++;
    }
    const present = [...docs.keys()].filter((k) => !String(k).startsWith('counter-')).length;
    const writes = results.reduce((n, r) => n + r.acked.inserts.length + r.acked.incs, 0);
    const lost = lostInserts + badContent + lostUpdates;
    log(
      `round ${round}: killed pid ${pid} after ${ackedAtKill} acknowledged writes; ${writes} acknowledged in all ` +
        `(${expected} inserts, ${writes - expected} updates), ${present} documents present; ` +
        `lost inserts ${lostInserts}, wrong content ${badContent}, counters behind ${lostUpdates}; restart ${restartMs} ms`,
    );
    return { lost, writes };
  } finally {
    await client.close();
  }
}

async function races(uri) {
  const failures = [];
  const pool = await Promise.all(Array.from({ length: 20 }, () => connect(uri)));
  const wide = await connect(uri, { maxPoolSize: 50, minPoolSize: 50 });
  try {
    const col = (c) => c.db(DB).collection('races');
    let oneWinner = 0;
    for (let r = 0; r < 20; r++) {
      const _id = `rev-${r}`;
      await col(pool[0]).insertOne({ _id, rev: 0 });
      const res = await Promise.all(pool.map((c, k) => col(c).updateOne({ _id, rev: 0 }, { $set: { owner: k }, $inc: { rev: 1 } })));
      const winners = res.filter((x) => x.modifiedCount === 1).length;
      const doc = await col(pool[0]).findOne({ _id });
      if (winners === 1 && doc.rev === 1) oneWinner++;
    }
    log(`20 clients racing updateOne({_id, rev: 0}), 20 rounds: exactly one winner in ${oneWinner}/20`);
    if (oneWinner !== 20) failures.push('optimistic update race');

    const incs = [];
    const pushes = [];
    for (let r = 0; r < 5; r++) {
      const _id = `inc-${r}`;
      await col(wide).insertOne({ _id, n: 0, v: [] });
      await Promise.all(Array.from({ length: 50 }, (_, k) => col(wide).updateOne({ _id }, { $inc: { n: 1 }, $push: { v: k } })));
      const doc = await col(wide).findOne({ _id });
      incs.push(doc.n);
      pushes.push(new Set(doc.v).size);
    }
    log(`50 parallel $inc, 5 rounds: final counters ${incs.join(', ')}; 50 parallel $push: values kept ${pushes.join(', ')}`);
    if (incs.some((n) => n !== 50) || pushes.some((n) => n !== 50)) failures.push('parallel $inc/$push');
  } finally {
    await Promise.all([...pool, wide].map((c) => c.close()));
  }
  return failures;
}

async function main() {
  const t = await target();
  let lost = 0;
  let writes = 0;
  let failures = [];
  try {
    const admin = await connect(t.uri, { serverSelectionTimeoutMS: 30_000 });
    await admin.db(DB).dropDatabase();
    await admin.close();
    log(`${t.uri}: ${rounds} rounds, ${clients} writers each, kill -9 mid-stream`);
    for (let r = 1; r <= rounds; r++) {
      const res = await durabilityRound(t, r);
      lost += res.lost;
      writes += res.writes;
    }
    if (!opts['no-races']) failures = await races(t.uri);
    const client = await connect(t.uri);
    await client.db(DB).dropDatabase();
    await client.close();
  } finally {
    t.cleanup();
  }
  log(`${writes} acknowledged writes over ${rounds} kills, ${lost} lost${failures.length ? `; failed: ${failures.join(', ')}` : ''}`);
  process.exitCode = lost === 0 && failures.length === 0 ? 0 : 1;
}

main().catch((e) => {
  console.error('[durability] error:', e);
  process.exitCode = 1;
});
