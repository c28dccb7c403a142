import { scanInterval } from './mongo-outbox.relay';

describe('the orphan scan interval', () => {
  it('is 2 s while a scan is quick, as on MongoDB with its partial index', () => {
    expect(scanInterval(0)).toBe(2_000);
    expect(scanInterval(3)).toBe(2_000);
    expect(scanInterval(40)).toBe(2_000);
  });

  it('grows with a slow scan, so that scans take at most 2 % of the time on a server that reads every document', () => {
    // 59,000 stock reservations on the local MongoDB-wire server: 2.5 s a scan
    expect(scanInterval(2_500)).toBe(125_000);
    for (const cost of [41, 100, 700, 2_500, 10_000]) expect(cost / scanInterval(cost)).toBeCloseTo(0.02, 10);
  });
});
