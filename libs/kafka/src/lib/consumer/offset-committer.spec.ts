import type { TopicPartitionOffsetAndMetadata } from 'kafkajs';
import { OffsetCommitter } from './offset-committer';

function setup(fail?: (call: number) => Error | undefined) {
  const commits: TopicPartitionOffsetAndMetadata[][] = [];
  const warnings: string[] = [];
  const consumer = {
    commitOffsets: async (offsets: TopicPartitionOffsetAndMetadata[]) => {
      const error = fail?.(commits.length);
      commits.push(offsets);
      if (error) throw error;
    },
  };
  const committer = new OffsetCommitter(consumer, 60_000, { warn: (_o, msg) => warnings.push(msg) });
  return { committer, commits, warnings };
}

const protocolError = (type: string) => Object.assign(new Error(type), { type });

describe('OffsetCommitter', () => {
  it('commits the offset after the last handled message of each partition, in one request', async () => {
    const { committer, commits } = setup();
    committer.handled('t', 0, '4');
    committer.handled('t', 0, '5');
    committer.handled('t', 1, '9');
    committer.handled('u', 0, '0');
    await committer.commit();
    expect(commits).toEqual([
      [
        { topic: 't', partition: 0, offset: '6' },
        { topic: 't', partition: 1, offset: '10' },
        { topic: 'u', partition: 0, offset: '1' },
      ],
    ]);
    expect(committer.uncommitted).toBe(0);
  });

  it('sends nothing when nothing was handled since the last commit', async () => {
    const { committer, commits } = setup();
    committer.handled('t', 0, '1');
    await committer.commit();
    await committer.commit();
    expect(commits).toHaveLength(1);
  });

  it('keeps offsets whose commit failed for the next round, unless a later one replaced them', async () => {
    const { committer, commits, warnings } = setup((call) => (call === 0 ? new Error('broker unreachable') : undefined));
    committer.handled('t', 0, '3');
    committer.handled('t', 1, '7');
    await committer.commit();
    committer.handled('t', 1, '8');
    await committer.commit();
    expect(commits[1]).toHaveLength(2);
    expect(commits[1]).toEqual(
      expect.arrayContaining([
        { topic: 't', partition: 0, offset: '4' },
        { topic: 't', partition: 1, offset: '9' },
      ]),
    );
    expect(warnings).toEqual(['offsets not committed; trying again next round']);
  });

  it('drops offsets a rebalance refused: the partition may belong to another member now', async () => {
    const { committer, commits, warnings } = setup((call) => (call === 0 ? protocolError('ILLEGAL_GENERATION') : undefined));
    committer.handled('t', 0, '3');
    await committer.commit();
    await committer.commit();
    expect(commits).toHaveLength(1);
    expect(warnings[0]).toMatch(/rebalanced/);
  });

  it('commits what is left when it stops, after the commit under way', async () => {
    const commits: TopicPartitionOffsetAndMetadata[][] = [];
    let release = () => undefined as void;
    const gate = new Promise<void>((r) => (release = r));
    const consumer = {
      commitOffsets: async (offsets: TopicPartitionOffsetAndMetadata[]) => {
        commits.push(offsets);
        if (commits.length === 1) await gate;
      },
    };
    const committer = new OffsetCommitter(consumer, 60_000, { warn: () => undefined });
    committer.start();
    committer.handled('t', 0, '1');
    const first = committer.commit();
    await new Promise((r) => setImmediate(r));
    // handled while the first commit is in flight
    committer.handled('t', 0, '2');
    const stopped = committer.stop();
    release();
    await Promise.all([first, stopped]);
    expect(commits).toEqual([[{ topic: 't', partition: 0, offset: '2' }], [{ topic: 't', partition: 0, offset: '3' }]]);
    expect(committer.uncommitted).toBe(0);
  });

  it('handles offsets past 2^53, as kafka offsets may be', async () => {
    const { committer, commits } = setup();
    committer.handled('t', 0, '9007199254740993');
    await committer.commit();
    expect(commits[0][0].offset).toBe('9007199254740994');
  });
});
