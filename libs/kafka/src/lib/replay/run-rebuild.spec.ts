import { reportText } from './run-rebuild';

describe('reportText', () => {
  const base = { copy: 'products-catalog-v1-r20261201t213005', handled: 47, skipped: 0, seconds: 1.66 };

  it('says where readers are now, how much was replayed and what became of the previous copy', () => {
    expect(reportText({ ...base, previous: 'products-catalog-v1', droppedPrevious: true })).toBe(
      'readers now use products-catalog-v1-r20261201t213005: 47 events replayed in 1.7 s; the copy they left, products-catalog-v1, dropped',
    );
    expect(reportText({ ...base, previous: 'products-catalog-v1', droppedPrevious: false })).toContain('kept (--keep-previous)');
  });

  it('points at the log when events were skipped', () => {
    expect(reportText({ ...base, skipped: 2, droppedPrevious: false })).toBe(
      'readers now use products-catalog-v1-r20261201t213005: 47 events replayed, 2 skipped (see the log) in 1.7 s',
    );
  });
});
