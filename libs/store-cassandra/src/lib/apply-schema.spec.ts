import { errors, types } from 'cassandra-driver';
import { assertIdempotentDdl, isAlreadyExists } from './apply-schema';

describe('assertIdempotentDdl', () => {
  it('accepts create ... if not exists', () => {
    expect(() => assertIdempotentDdl('create table if not exists t (k text primary key)')).not.toThrow();
    expect(() => assertIdempotentDdl('\n  CREATE TYPE IF NOT EXISTS money (amount bigint)')).not.toThrow();
  });

  it('refuses a statement a second replica would fail on', () => {
    expect(() => assertIdempotentDdl('create table t (k text primary key)')).toThrow(/IF NOT EXISTS/);
    expect(() => assertIdempotentDdl('drop table if exists t')).toThrow(/IF NOT EXISTS/);
  });
});

describe('isAlreadyExists', () => {
  it('matches only the server error for a table or keyspace that exists', () => {
    expect(isAlreadyExists(new errors.ResponseError(types.responseErrorCodes.alreadyExists, 'exists'))).toBe(true);
    expect(isAlreadyExists(new errors.ResponseError(types.responseErrorCodes.syntaxError, 'bad'))).toBe(false);
    expect(isAlreadyExists(new Error('already exists'))).toBe(false);
  });
});
