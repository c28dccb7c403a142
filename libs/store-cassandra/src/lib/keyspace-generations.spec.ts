import type { Client } from 'cassandra-driver';
import { dropGeneration, generationName } from './keyspace-generations';

describe('generationName', () => {
  it('names a keyspace after the configured one and the time, within cassandra’s 48 characters', () => {
    expect(generationName('analytics', new Date('2026-12-01T21:30:05.123Z'))).toBe('analytics_r20261201213005');
    const long = generationName('a'.repeat(48), new Date('2026-12-01T21:30:05Z'));
    expect(long).toHaveLength(48);
    expect(long).toMatch(/^[a-z][a-z0-9_]*$/);
  });
});

describe('dropGeneration', () => {
  const client = () => {
    const statements: string[] = [];
    const c = {
      execute: async (q: string) => void statements.push(q.replace(/\s+/g, ' ').trim()),
      metadata: { checkSchemaAgreement: async () => true },
    };
    return { c: c as unknown as Client, statements };
  };
  const schema = ['create table if not exists facts (id int primary key)', 'create table if not exists rollups (id int primary key)'];

  it('drops a later generation’s keyspace', async () => {
    const { c, statements } = client();
    await dropGeneration(c, 'analytics', 'analytics_r20261201213005', schema);
    expect(statements).toEqual(['drop keyspace if exists analytics_r20261201213005']);
  });

  it('drops only the tables of the first generation: the configured keyspace keeps the generation row', async () => {
    const { c, statements } = client();
    await dropGeneration(c, 'analytics', 'analytics', schema);
    expect(statements).toEqual(['drop table if exists analytics.facts', 'drop table if exists analytics.rollups']);
  });
});
