import { Metrics } from './metrics';
import { scrapeGauge } from './scrape-gauge';

describe('scrapeGauge', () => {
  const series = (text: string, name: string) => text.split('\n').filter((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `));

  it('reads its values at every scrape, replacing the previous ones', async () => {
    const metrics = new Metrics('probe');
    let values = [
      { labels: { topic: 'a' }, value: 3 },
      { labels: { topic: 'b' }, value: 5 },
    ];
    scrapeGauge(metrics, { name: 'probe_backlog', help: 'h', labelNames: ['topic'], read: async () => values });
    expect(series(await metrics.registry.metrics(), 'probe_backlog')).toEqual([
      'probe_backlog{topic="a",service="probe"} 3',
      'probe_backlog{topic="b",service="probe"} 5',
    ]);
    values = [{ labels: { topic: 'b' }, value: 1 }];
    expect(series(await metrics.registry.metrics(), 'probe_backlog')).toEqual(['probe_backlog{topic="b",service="probe"} 1']);
  });

  it('leaves the gauge out, not at a stale value, when the read fails', async () => {
    const metrics = new Metrics('probe');
    let fail = false;
    scrapeGauge(metrics, {
      name: 'probe_age_seconds',
      help: 'h',
      read: async () => {
        if (fail) throw new Error('store down');
        return [{ value: 7 }];
      },
    });
    expect(series(await metrics.registry.metrics(), 'probe_age_seconds')).toEqual(['probe_age_seconds{service="probe"} 7']);
    fail = true;
    const text = await metrics.registry.metrics();
    expect(series(text, 'probe_age_seconds')).toEqual([]);
    expect(text).toContain('# TYPE probe_age_seconds gauge');
  });

  it('does not hold the scrape up longer than its timeout', async () => {
    const metrics = new Metrics('probe');
    scrapeGauge(metrics, { name: 'probe_slow', help: 'h', timeoutMs: 50, read: () => new Promise<never>(() => undefined) });
    const started = Date.now();
    const text = await metrics.registry.metrics();
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(series(text, 'probe_slow')).toEqual([]);
    expect(text).toContain('process_cpu_seconds_total');
  });
});
