import type { PurgeResult } from '@ecom/kafka';
import { countsText, purgeText, table } from './dlq-output';

const result = (partitions: [number, bigint, bigint][], purged = 0, left = 0): PurgeResult => ({
  topic: 'order.placed',
  dlt: 'order.placed.dlt',
  partitions: partitions.map(([partition, low, high]) => ({ partition, low, high })),
  count: partitions.reduce((n, [, low, high]) => n + Number(high - low), 0),
  purged,
  left,
});

describe('table', () => {
  it('aligns columns under a header and shows a missing value as -', () => {
    expect(
      table([
        ['a', 'bb'],
        ['ccc', undefined],
      ]),
    ).toBe('a    bb\nccc  -');
  });
});

describe('countsText', () => {
  it('counts every dead-letter topic and names the ones not created yet', () => {
    expect(
      countsText([
        { topic: 'order.placed', dlt: 'order.placed.dlt', exists: true, count: 2 },
        { topic: 'stock.reserved', dlt: 'stock.reserved.dlt', exists: false, count: 0 },
      ]),
    ).toBe('dead-letter topic   entries\norder.placed.dlt    2\nstock.reserved.dlt  not created yet\n2 dead letters in all');
  });
});

describe('purgeText', () => {
  it('on a dry run, says what it would delete per partition and how to confirm', () => {
    expect(purgeText(result([[0, 4n, 7n]]), true)).toBe(
      [
        'order.placed.dlt: 3 dead letters to delete',
        'partition  entries  offsets',
        '0          3        4-6',
        'dry run: nothing deleted. a purge deletes them for good; replay first what still needs to take effect (npm run dlq -- replay order.placed)',
        'to delete them: npm run dlq -- purge order.placed --yes',
      ].join('\n'),
    );
  });

  it('shows an empty partition beside one with dead letters', () => {
    expect(
      purgeText(
        result([
          [0, 0n, 0n],
          [1, 2n, 3n],
        ]),
        true,
      ),
    ).toContain('order.placed.dlt: 1 dead letter to delete\npartition  entries  offsets\n0          0        -\n1          1        2-2\n');
  });

  it('after a purge, says what it deleted and that the topic is empty now', () => {
    expect(purgeText(result([[0, 4n, 7n]], 3, 0), false)).toBe(
      [
        'order.placed.dlt: deleted 3 dead letters',
        'partition  deleted  offsets',
        '0          3        4-6',
        'order.placed.dlt holds no dead letters now',
      ].join('\n'),
    );
  });

  it('after a purge, names the dead letters that arrived meanwhile and were kept', () => {
    expect(purgeText(result([[0, 4n, 7n]], 3, 2), false)).toContain(
      'holds 2 dead letters now, which arrived during the purge and were kept',
    );
    expect(purgeText(result([[0, 4n, 7n]], 3, 1), false)).toMatch(
      /\norder\.placed\.dlt holds 1 dead letter now, which arrived during the purge and was kept: npm run dlq -- list order\.placed$/,
    );
  });

  it('says so when there is nothing to delete, dry run or not', () => {
    expect(purgeText(result([[0, 5n, 5n]]), true)).toBe('order.placed.dlt: no dead letters, nothing to delete');
    expect(purgeText(result([[0, 5n, 5n]]), false)).toBe('order.placed.dlt: no dead letters, nothing to delete');
  });
});
