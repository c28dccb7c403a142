import { CoalescedGets } from './coalesced-gets';

/** an MGET that answers when the spec says, each key's value being "v:<key>" */
class HeldMget {
  readonly sent: string[][] = [];
  private readonly pending: { resolve: (values: (string | null)[]) => void; reject: (e: unknown) => void; keys: string[] }[] = [];

  mget = (keys: string[]): Promise<(string | null)[]> => {
    this.sent.push(keys);
    return new Promise((resolve, reject) => this.pending.push({ resolve, reject, keys }));
  };

  answer(): void {
    const next = this.pending.shift()!;
    next.resolve(next.keys.map((key) => (key === 'absent' ? null : `v:${key}`)));
  }

  fail(error: Error): void {
    this.pending.shift()!.reject(error);
  }
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('CoalescedGets', () => {
  it('sends a read that comes alone at once, in an MGET of its own', async () => {
    const redis = new HeldMget();
    const read = new CoalescedGets(redis as never).get('a');
    expect(redis.sent).toEqual([['a']]);
    redis.answer();
    await expect(read).resolves.toBe('v:a');
  });

  it('sends the reads that arrive while an MGET is in flight together, once it returns, each answered with its own value', async () => {
    const redis = new HeldMget();
    const gets = new CoalescedGets(redis as never);
    const first = gets.get('a');
    const later = [gets.get('b'), gets.get('absent'), gets.get('b')];
    expect(redis.sent).toEqual([['a']]);

    redis.answer();
    await expect(first).resolves.toBe('v:a');
    expect(redis.sent).toEqual([['a'], ['b', 'absent', 'b']]);
    redis.answer();
    await expect(Promise.all(later)).resolves.toEqual(['v:b', null, 'v:b']);
  });

  it('puts at most 256 keys in one MGET', async () => {
    const redis = new HeldMget();
    const gets = new CoalescedGets(redis as never);
    const reads = Array.from({ length: 301 }, (_, i) => gets.get(`k${i}`));
    redis.answer();
    await settle();
    expect(redis.sent.map((keys) => keys.length)).toEqual([1, 256]);
    redis.answer();
    await settle();
    expect(redis.sent.map((keys) => keys.length)).toEqual([1, 256, 44]);
    redis.answer();
    await expect(Promise.all(reads)).resolves.toEqual(Array.from({ length: 301 }, (_, i) => `v:k${i}`));
  });

  it('fails only the reads a failed MGET carried, and still sends the next', async () => {
    const redis = new HeldMget();
    const gets = new CoalescedGets(redis as never);
    const failed = gets.get('a');
    const next = gets.get('b');
    redis.fail(new Error('Connection is closed.'));
    await expect(failed).rejects.toThrow('Connection is closed.');
    expect(redis.sent).toEqual([['a'], ['b']]);
    redis.answer();
    await expect(next).resolves.toBe('v:b');
  });

  it('fails the reads of an MGET the client throws on instead of rejecting, and the next still leave', async () => {
    const redis = new HeldMget();
    const gets = new CoalescedGets(redis as never);
    const throwing = redis.mget;
    redis.mget = () => {
      redis.mget = throwing;
      throw new Error('ERR syntax error');
    };
    await expect(gets.get('a')).rejects.toThrow('ERR syntax error');
    const next = gets.get('b');
    expect(redis.sent).toEqual([['b']]);
    redis.answer();
    await expect(next).resolves.toBe('v:b');
  });
});
