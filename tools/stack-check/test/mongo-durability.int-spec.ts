import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as mongo from 'mongodb';
import { loadConfig, mongodbConfig, readEnv } from '@ecom/config';

// the native MongoDB-wire server keeps every acknowledged write across a kill -9, and single-document
// updates stay atomic (ADR 6). the check starts a private server (a temporary STACK_HOME and a free
// port), so the stack the other tests use is not touched. docker mode runs a real mongod instead.

const ROOT = resolve(__dirname, '../../..');
const CHECK = join(ROOT, 'tools/stack/check-mongo-durability.mjs');
const modeFile = join(ROOT, '.stack/run/mode');
const docker = existsSync(modeFile) && readFileSync(modeFile, 'utf8').trim() === 'docker';

const nativeServer = () =>
  it('loses no acknowledged write to kill -9, and concurrent updates stay atomic', () => {
    const res = spawnSync(process.execPath, [CHECK, '--scratch', '--rounds', '2'], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 110_000,
    });
    const out = `${res.stdout}${res.stderr}`;
    if (res.status !== 0) console.log(out);
    expect(out).toMatch(/acknowledged writes over 2 kills, 0 lost$/m);
    expect(out).toContain('exactly one winner in 20/20');
    expect(out).toContain('final counters 50, 50, 50, 50, 50; 50 parallel $push: values kept 50, 50, 50, 50, 50');
    expect(res.status).toBe(0);
  });

// with docker, the stack runs mongod itself: its journal is what keeps acknowledged writes
const realMongod = () =>
  it('is a real mongod with a journaling storage engine', async () => {
    const client = new mongo.MongoClient(loadConfig([mongodbConfig('stack_check')], readEnv()).mongodb.uri);
    try {
      const status = await client.db().admin().command({ serverStatus: 1 });
      expect(status['storageEngine']?.name).toBe('wiredTiger');
    } finally {
      await client.close();
    }
  });

describe(docker ? 'MongoDB (docker stack)' : 'native MongoDB-wire server', docker ? realMongod : nativeServer);
