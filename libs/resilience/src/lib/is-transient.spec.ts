import { errors as elastic } from '@elastic/elasticsearch';
import { errors as cassandra } from 'cassandra-driver';
import { ReplyError } from 'ioredis';
import { KafkaJSConnectionError, KafkaJSNonRetriableError, KafkaJSNumberOfRetriesExceeded, KafkaJSProtocolError } from 'kafkajs';
import { MongoNetworkError, MongoNotConnectedError, MongoServerError } from 'mongodb';
import { DatabaseError } from 'pg';
import { QueryFailedError, QueryRunnerAlreadyReleasedError, QueryRunnerProviderAlreadyReleasedError } from 'typeorm';
import { z } from 'zod';
import { isTransient } from './is-transient';
import { StoreUnavailable } from './store-unavailable';

// the drivers' own error classes, built as the drivers build them, so a driver upgrade that
// renames a class or a field fails here rather than in an outage

function pgError(code: string, message = 'boom'): DatabaseError {
  const e = new DatabaseError(message, 0, 'error');
  e.code = code;
  return e;
}

const viaTypeorm = (driverError: Error) => new QueryFailedError('insert into orders ...', [], driverError);

function socketError(code: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`connect ${code} 127.0.0.1:5432`), { code, syscall: 'connect' });
}

function elasticResponse(statusCode: number): InstanceType<typeof elastic.ResponseError> {
  return new elastic.ResponseError({ body: { error: { type: 'x' } }, statusCode, headers: {}, warnings: null, meta: {} as never });
}

describe('isTransient', () => {
  describe('sockets', () => {
    it.each(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'EAI_AGAIN'])('%s is transient', (code) => {
      expect(isTransient(socketError(code))).toBe(true);
    });
    it('a file-system error is not', () => {
      expect(isTransient(Object.assign(new Error('no such file'), { code: 'ENOENT' }))).toBe(false);
    });
  });

  describe('postgresql', () => {
    it.each(['08006', '08001', '57P01', '57P03', '40001', '40P01', '53300', '55P03'])(
      'sqlstate %s is transient, bare or through typeorm',
      (code) => {
        expect(isTransient(pgError(code))).toBe(true);
        expect(isTransient(viaTypeorm(pgError(code)))).toBe(true);
      },
    );
    it.each(['23505', '23514', '22P02', '42601', '42P01'])('sqlstate %s is not', (code) => {
      expect(isTransient(pgError(code))).toBe(false);
      expect(isTransient(viaTypeorm(pgError(code)))).toBe(false);
    });
    it('a connection dropped mid-query or a pool that cannot connect is transient', () => {
      expect(isTransient(new Error('Connection terminated unexpectedly'))).toBe(true);
      expect(isTransient(new Error('timeout exceeded when trying to connect'))).toBe(true);
      expect(isTransient(viaTypeorm(socketError('ECONNREFUSED')))).toBe(true);
    });
    it('a transaction whose connection died under it (typeorm released its runner) is transient', () => {
      expect(isTransient(new QueryRunnerAlreadyReleasedError())).toBe(true);
      expect(isTransient(new QueryRunnerProviderAlreadyReleasedError())).toBe(true);
    });
  });

  describe('mongodb', () => {
    it('network errors and a missing connection are transient', () => {
      expect(isTransient(new MongoNetworkError('connection 3 to 127.0.0.1:27017 closed'))).toBe(true);
      expect(isTransient(new MongoNotConnectedError('client must be connected'))).toBe(true);
    });
    it('NotWritablePrimary and shutdown codes are transient', () => {
      expect(isTransient(new MongoServerError({ code: 10107, errmsg: 'not primary', message: 'not primary' }))).toBe(true);
      expect(isTransient(new MongoServerError({ code: 91, errmsg: 'shutdown in progress', message: 'shutdown' }))).toBe(true);
    });
    it('a duplicate key is not', () => {
      expect(isTransient(new MongoServerError({ code: 11000, errmsg: 'E11000 duplicate key', message: 'dup' }))).toBe(false);
    });
  });

  describe('cassandra', () => {
    it('no host available, a timed-out operation, unavailable, overloaded and timeouts are transient', () => {
      expect(isTransient(new cassandra.NoHostAvailableError({}, 'All host(s) tried for query failed'))).toBe(true);
      expect(isTransient(new cassandra.OperationTimedOutError('timed out', '127.0.0.1:9042'))).toBe(true);
      for (const code of [0x1000, 0x1001, 0x1002, 0x1100, 0x1200]) expect(isTransient(new cassandra.ResponseError(code, 'x'))).toBe(true);
    });
    it('an invalid query or a syntax error is not', () => {
      expect(isTransient(new cassandra.ResponseError(0x2200, 'Invalid'))).toBe(false);
      expect(isTransient(new cassandra.ResponseError(0x2000, 'Syntax'))).toBe(false);
    });
  });

  describe('redis', () => {
    it('a closed connection and a server still loading are transient', () => {
      expect(isTransient(new Error('Connection is closed.'))).toBe(true);
      expect(isTransient(new ReplyError('LOADING Redis is loading the dataset in memory'))).toBe(true);
      expect(isTransient(new ReplyError("OOM command not allowed when used memory > 'maxmemory'."))).toBe(true);
      expect(
        isTransient(Object.assign(new Error('Reached the max retries per request limit'), { name: 'MaxRetriesPerRequestError' })),
      ).toBe(true);
    });
    it('a wrong type is not', () => {
      expect(isTransient(new ReplyError('WRONGTYPE Operation against a key holding the wrong kind of value'))).toBe(false);
    });
  });

  describe('elasticsearch', () => {
    it('connection errors, timeouts and 429/502/503/504 are transient', () => {
      expect(isTransient(new elastic.ConnectionError('connect ECONNREFUSED'))).toBe(true);
      expect(isTransient(new elastic.TimeoutError('Request timed out'))).toBe(true);
      expect(isTransient(new elastic.NoLivingConnectionsError('no living connections', {} as never))).toBe(true);
      for (const s of [429, 502, 503, 504]) expect(isTransient(elasticResponse(s))).toBe(true);
    });
    it('a bad request is not', () => {
      expect(isTransient(elasticResponse(400))).toBe(false);
      expect(isTransient(elasticResponse(404))).toBe(false);
    });
  });

  describe('kafka', () => {
    it('connection errors and exhausted retries of retriable errors are transient', () => {
      expect(isTransient(new KafkaJSConnectionError('Connection error: ECONNREFUSED'))).toBe(true);
      expect(isTransient(new KafkaJSNumberOfRetriesExceeded(new KafkaJSConnectionError('x'), { retryCount: 5, retryTime: 1000 }))).toBe(
        true,
      );
      expect(
        isTransient(new KafkaJSProtocolError({ type: 'LEADER_NOT_AVAILABLE', code: 5, retriable: true, message: 'no leader' } as never)),
      ).toBe(true);
    });
    it('a non-retriable error is not', () => {
      expect(isTransient(new KafkaJSNonRetriableError('the message is too large'))).toBe(false);
    });
  });

  describe('everything else', () => {
    it('our own StoreUnavailable is transient, also as a cause', () => {
      expect(isTransient(new StoreUnavailable('postgres'))).toBe(true);
      expect(isTransient(new Error('saving the order failed', { cause: new StoreUnavailable('postgres') }))).toBe(true);
    });
    it('programming and validation errors are not', () => {
      expect(isTransient(new TypeError("Cannot read properties of undefined (reading 'id')"))).toBe(false);
      expect(isTransient(z.object({ a: z.string() }).safeParse({}).error)).toBe(false);
      expect(isTransient(new Error('handler refuses this order'))).toBe(false);
    });
    it('non-errors are not', () => {
      for (const x of [undefined, null, 'ECONNREFUSED', 42]) expect(isTransient(x)).toBe(false);
    });
    it('a cycle of causes ends', () => {
      const a = new Error('a') as Error & { cause?: unknown };
      a.cause = a;
      expect(isTransient(a)).toBe(false);
    });
  });
});
