// the scanner that finds the metrics of a PromQL expression, and the exposition parser that finds the
// families of a /metrics answer, against what prom-client itself writes
import { Counter, Gauge, Histogram, Registry, Summary, collectDefaultMetrics, type RegistryContentType } from 'prom-client';
import { parseExposition } from './exposition';
import { familyOf, histogramBase, metricNames, metricReferences, whyUnknown, type FamilyLookup, type MetricType } from './promql-metrics';

const lookupOf =
  (families: Record<string, MetricType>): FamilyLookup =>
  (name) =>
    families[name];

describe('metricNames', () => {
  it.each([
    ['a bare name', 'orders_pending', ['orders_pending']],
    ['a name with a selector', 'orders_pending{service="order-service"}', ['orders_pending']],
    ['a name with a range', 'rate(process_cpu_seconds_total[5m])', ['process_cpu_seconds_total']],
    ['a selector and a Grafana range', 'rate(cache_requests_total{result="hit"}[$__rate_interval])', ['cache_requests_total']],
    ['a name before a closing parenthesis', 'max(sse_connections)', ['sse_connections']],
    [
      'a name before an operator without spaces',
      'outbox_events/outbox_relayed_events_total',
      ['outbox_events', 'outbox_relayed_events_total'],
    ],
    [
      'aggregations with by before and after',
      'sum by (http_route, le) (rate(x_bucket[1m])) / sum(y) without (instance)',
      ['x_bucket', 'y'],
    ],
    [
      'histogram_quantile and numbers',
      'histogram_quantile(0.95, sum by (le) (rate(http_server_request_duration_seconds_bucket{service="user-service"}[5m])))',
      ['http_server_request_duration_seconds_bucket'],
    ],
    [
      'vector matching keywords and their label lists',
      'a{state="used"} / ignoring (state) group_left (db_system_name) b + on(instance) group_right c * on (x) group_left d',
      ['a', 'b', 'c', 'd'],
    ],
    ['set operators and bool', 'a > bool 1 and b or c unless d', ['a', 'b', 'c', 'd']],
    ['offset and @ modifiers', 'rate(a[5m] offset 1h30m) - rate(b[5m] @ 1609746000) - c @ start()', ['a', 'b', 'c']],
    ['numbers of every form', 'a * 1e-3 + .5 - 0x1F / 2.5E+2 + Inf - NaN', ['a']],
    [
      'strings, with what looks like metrics in them',
      `label_replace(a, "dst", "$1 b{c}", 'src', "(.*)") + count_values(\`v\`, d)`,
      ['a', 'd'],
    ],
    ['label names that look like functions', 'sum by (rate, sum, time) (a{rate="x", time=~"y"})', ['a']],
    ['Grafana variables', 'a{instance=~"$instance"} * ${factor} + b[$__interval] + $scalar', ['a', 'b']],
    ['a subquery', 'max_over_time(rate(a[1m])[1h:5m])', ['a']],
    ['a name selector', '{__name__="a", service="x"} + {"b.c"}', ['a', 'b.c']],
    ['comments and new lines', 'sum(\n  a # not_a_metric here\n) + b', ['a', 'b']],
    ['upper-case keywords', 'SUM BY (x) (a) AND b', ['a', 'b']],
    ['a metric named like a keyword prefix', 'byte_count + bool_gauge + offset_seconds', ['byte_count', 'bool_gauge', 'offset_seconds']],
    ['colons of recording rules', 'job:http_requests:rate5m', ['job:http_requests:rate5m']],
    ['each name once', 'a / a', ['a']],
    ['no metric at all', 'vector(1) + time() - pi()', []],
  ])('finds %s', (_what, expr, names) => {
    expect(metricNames(expr)).toEqual(names);
  });

  it('returns the matchers of each reference, and its service', () => {
    expect(metricReferences('a{service="order-service", outcome!~"x|y"} / b{service=~"order-.*"}')).toEqual([
      {
        name: 'a',
        matchers: [
          { label: 'service', op: '=', value: 'order-service' },
          { label: 'outcome', op: '!~', value: 'x|y' },
        ],
        service: 'order-service',
      },
      { name: 'b', matchers: [{ label: 'service', op: '=~', value: 'order-.*' }] },
    ]);
  });

  it('unescapes the values of matchers', () => {
    expect(metricReferences('a{topic=~"order\\\\.placed", b="say \\"hi\\""}')[0].matchers).toEqual([
      { label: 'topic', op: '=~', value: 'order\\.placed' },
      { label: 'b', op: '=', value: 'say "hi"' },
    ]);
  });

  it.each([
    ['an unterminated string', 'a{b="c}'],
    ['an unbalanced bracket', 'rate(a[5m)'],
    ['a label without a matcher', 'a{b}'],
    ['a matcher against a non-string', 'a{b=1}'],
  ])('refuses %s (negative)', (_what, expr) => {
    expect(() => metricReferences(expr)).toThrow();
  });
});

describe('familyOf', () => {
  const lookup = lookupOf({
    http_server_request_duration_seconds: 'histogram',
    rpc_seconds: 'summary',
    db_client_connection_count: 'gauge',
    cache_requests_total: 'counter',
  });

  it('strips _bucket, _sum and _count to the histogram, and _sum and _count to the summary', () => {
    for (const suffix of ['_bucket', '_sum', '_count'])
      expect(familyOf(`http_server_request_duration_seconds${suffix}`, lookup)).toEqual({
        name: 'http_server_request_duration_seconds',
        type: 'histogram',
      });
    expect(familyOf('rpc_seconds_count', lookup)).toEqual({ name: 'rpc_seconds', type: 'summary' });
    expect(familyOf('rpc_seconds', lookup)).toEqual({ name: 'rpc_seconds', type: 'summary' });
    expect(histogramBase('a_bucket')).toBe('a');
    expect(histogramBase('a_total')).toBe('a_total');
  });

  it('takes a name that is a family itself as written: counters with _total, a gauge ending in _count', () => {
    expect(familyOf('cache_requests_total', lookup)).toEqual({ name: 'cache_requests_total', type: 'counter' });
    expect(familyOf('db_client_connection_count', lookup)).toEqual({ name: 'db_client_connection_count', type: 'gauge' });
  });

  it('finds no family for a histogram bare, a summary bucket, a counter without its _total, or an unknown name (negative)', () => {
    for (const name of ['http_server_request_duration_seconds', 'rpc_seconds_bucket', 'cache_requests', 'db_client_connection', 'up'])
      expect([name, familyOf(name, lookup)]).toEqual([name, undefined]);
    expect(whyUnknown('http_server_request_duration_seconds', lookup)).toContain('is a histogram');
    expect(whyUnknown('rpc_seconds_bucket', lookup)).toBe('rpc_seconds_bucket: rpc_seconds is a summary, which has no _bucket series');
    expect(whyUnknown('up', lookup)).toBe('up is not there');
  });
});

describe('parseExposition, on what prom-client writes', () => {
  /** a registry like a service's: default labels, default metrics, and one metric of each kind */
  function registry(openMetrics = false): Registry<RegistryContentType> {
    const r = new Registry<RegistryContentType>();
    if (openMetrics) r.setContentType(Registry.OPENMETRICS_CONTENT_TYPE);
    r.setDefaultLabels({ service: 'order-service' });
    collectDefaultMetrics({ register: r });
    const used = new Counter({ name: 'order_saga_outcomes_total', help: 'h', labelNames: ['outcome'], registers: [r] });
    used.inc({ outcome: 'confirmed' });
    new Counter({ name: 'messaging_client_consumed_messages_total', help: 'h', labelNames: ['outcome'], registers: [r] });
    new Gauge({ name: 'db_client_connection_count', help: 'h', labelNames: ['state'], registers: [r] });
    new Gauge({ name: 'orders_pending', help: 'h', registers: [r], collect: () => undefined });
    new Histogram({ name: 'order_saga_duration_seconds', help: 'h', labelNames: ['outcome'], registers: [r] });
    new Summary({ name: 'rpc_seconds', help: 'h', registers: [r] });
    return r;
  }

  it('reads the families of the Prometheus text format, counters named as registered (_total), even without samples', async () => {
    const text = await registry().metrics();
    // what prom-client 15 writes: the TYPE line of a counter carries its _total; a labelled metric
    // that was never observed has its HELP and TYPE lines and no sample
    expect(text).toContain('# TYPE messaging_client_consumed_messages_total counter\n');
    expect(text).not.toMatch(/^messaging_client_consumed_messages_total/m);
    const { families, samples } = parseExposition(text);
    expect(Object.fromEntries([...families].filter(([n]) => !/^(process|nodejs)_/.test(n)))).toEqual({
      order_saga_outcomes_total: 'counter',
      messaging_client_consumed_messages_total: 'counter',
      db_client_connection_count: 'gauge',
      orders_pending: 'gauge',
      order_saga_duration_seconds: 'histogram',
      rpc_seconds: 'summary',
    });
    expect(families.get('process_cpu_seconds_total')).toBe('counter');
    expect(families.get('nodejs_eventloop_lag_p99_seconds')).toBe('gauge');
    expect(families.get('process_resident_memory_bytes')).toBe('gauge');
    expect(families.get('nodejs_heap_size_used_bytes')).toBe('gauge');
    expect(samples).toContainEqual({ name: 'order_saga_outcomes_total', labels: { outcome: 'confirmed', service: 'order-service' } });
    expect(samples.filter((s) => s.labels['service'] !== 'order-service')).toEqual([]);
    const lookup: FamilyLookup = (n) => families.get(n);
    expect(familyOf('order_saga_duration_seconds_bucket', lookup)?.name).toBe('order_saga_duration_seconds');
    expect(familyOf('rpc_seconds_count', lookup)?.name).toBe('rpc_seconds');
  });

  it('reads OpenMetrics, where a counter family drops its _total, as the same names', async () => {
    const text = await registry(true).metrics();
    expect(text).toContain('# TYPE order_saga_outcomes counter\n');
    const { families } = parseExposition(text);
    expect(families.get('order_saga_outcomes_total')).toBe('counter');
    expect(families.get('messaging_client_consumed_messages_total')).toBe('counter');
    expect(families.get('order_saga_outcomes')).toBeUndefined();
    expect(families.get('order_saga_duration_seconds')).toBe('histogram');
    expect([...families.keys()].filter((n) => n.endsWith('_created'))).toEqual([]);
  });

  it('makes an untyped family of a sample without a TYPE line, and unescapes label values', () => {
    const { families, samples } = parseExposition('# a comment\nlegacy_thing{a="x\\"y",b="1"} 3\n\n');
    expect(families.get('legacy_thing')).toBe('untyped');
    expect(samples).toEqual([{ name: 'legacy_thing', labels: { a: 'x"y', b: '1' } }]);
  });
});
