import { redactCredentials, withStartupRetry } from './with-retry';

describe('withStartupRetry', () => {
  it('retries until the store answers', async () => {
    let calls = 0;
    const result = await withStartupRetry('redis', 'redis://x', async () => {
      if (++calls < 3) throw new Error('ECONNREFUSED');
      return 'PONG';
    });
    expect(result).toBe('PONG');
    expect(calls).toBe(3);
  });

  it('gives up with a message naming the store, the address and the cause', async () => {
    await expect(
      withStartupRetry(
        'cassandra',
        '127.0.0.1:9042',
        async () => {
          throw new Error('ECONNREFUSED');
        },
        100,
      ),
    ).rejects.toThrow('cassandra is not reachable at 127.0.0.1:9042 after 0.1s: ECONNREFUSED');
  });
});

describe('redactCredentials', () => {
  it('hides the user and password of a url, and leaves one without them alone', () => {
    expect(redactCredentials('mongodb://user-service:s3cret@mongodb-0.mongodb:27017/users')).toBe(
      'mongodb://***@mongodb-0.mongodb:27017/users',
    );
    expect(redactCredentials('redis://:pw@redis:6379')).toBe('redis://***@redis:6379');
    expect(redactCredentials('http://127.0.0.1:9200')).toBe('http://127.0.0.1:9200');
  });
});
