#!/usr/bin/env node
// writes the Grafana dashboards of this folder: one per service of deploy/services.json and saga.json
//   node deploy/monitoring/dashboards/generate.mjs           rewrite the JSON files
//   node deploy/monitoring/dashboards/generate.mjs --check   change nothing; exit 1 naming each stale file
//                                                             (tools/delivery-check runs it)
// The JSON is committed, so Grafana users import it without Node; edit this script, not the JSON.
// Every query reads only metrics of the catalog in ../README.md and prom-client's defaults (process_*,
// nodejs_*): tools/delivery-check/src/monitoring/dashboards.spec.ts checks that offline, and
// apps/platform-e2e/src/monitoring.e2e-spec.ts checks that the running services really export them.
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { REPO_ROOT, readServiceList } from '../../../tools/scripts/lib/service-list.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const SCHEMA_VERSION = 39;
const TAG = 'ecom';

// what a service's dashboard shows beyond HTTP, Kafka producers and the runtime, which every service has.
// the catalog (../README.md) says which services export what:
//   consumer  it consumes topics (@EventHandler): consumed messages, handling time, lag, dead letters
//   outbox    it writes events through a transactional outbox
//   pools     from its stores in deploy/services.json: a store whose client reports its connections (STORE_POOLS)
//   extra     panels of its own (EXTRAS)
const TRAITS = {
  'user-service': { consumer: false, outbox: true, extra: [] },
  'product-service': { consumer: true, outbox: true, extra: ['cache'] },
  'order-service': { consumer: true, outbox: true, extra: ['saga'] },
  'analytics-service': { consumer: true, outbox: false, extra: [] },
  'notification-service': { consumer: true, outbox: false, extra: ['sse'] },
};

/**
 * the stores of deploy/services.json whose client reports db_client_connection_*: mongodb and postgresql
 * their pool's used, idle, max and waiting requests; cassandra its open connections and queries in
 * flight; redis, one connection and no pool, only its queued commands (pending)
 */
const STORE_POOLS = ['mongo', 'postgres', 'cassandra', 'redis'];

/** the topics of the order saga, in its order: the order, the catalog's answer, the settlement, the release */
const SAGA_TOPICS = [
  'order.placed',
  'stock.reserved',
  'stock.rejected',
  'order.confirmed',
  'order.rejected',
  'order.cancelled',
  'stock.released',
];
const SAGA_TOPIC_REGEX = SAGA_TOPICS.join('|');

// ---- the pieces of a dashboard ------------------------------------------------------------------------

const DATASOURCE = { type: 'prometheus', uid: '${datasource}' };
const RATE = '$__rate_interval';

/** the Grafana variable every panel queries through */
const datasourceVariable = () => ({
  name: 'datasource',
  label: 'Data source',
  type: 'datasource',
  query: 'prometheus',
  current: {},
  hide: 0,
  includeAll: false,
  multi: false,
  options: [],
  refresh: 1,
  regex: '',
  skipUrlSync: false,
});

/** the service's replicas, as Prometheus labels their scrape targets */
const instanceVariable = (service) => {
  const query = `label_values(process_start_time_seconds{service="${service}"}, instance)`;
  return {
    name: 'instance',
    label: 'Instance',
    type: 'query',
    datasource: DATASOURCE,
    definition: query,
    query: { qryType: 1, query, refId: 'PrometheusVariableQueryEditor-VariableQuery' },
    current: { selected: true, text: ['All'], value: ['$__all'] },
    hide: 0,
    includeAll: true,
    allValue: '.*',
    multi: true,
    options: [],
    refresh: 2,
    regex: '',
    skipUrlSync: false,
    sort: 1,
  };
};

/** a query of a panel; legend is Grafana's {{label}} template */
const q = (expr, legend = '__auto') => ({ expr, legend });

/**
 * a time series panel. unit is Grafana's (s, percentunit, reqps, ops, bytes, short...); width in grid
 * columns of 24
 */
const timeseries = (title, description, queries, { unit = 'short', width = 12, max, stack = false, overrides = [] } = {}) => ({
  type: 'timeseries',
  title,
  description,
  queries,
  width,
  fieldConfig: {
    defaults: {
      unit,
      min: 0,
      ...(max !== undefined && { max }),
      custom: {
        drawStyle: 'line',
        lineWidth: 1,
        fillOpacity: stack ? 30 : 10,
        showPoints: 'never',
        spanNulls: false,
        stacking: { mode: stack ? 'normal' : 'none', group: 'A' },
      },
      color: { mode: 'palette-classic' },
    },
    overrides,
  },
  options: {
    legend: { displayMode: 'list', placement: 'bottom', showLegend: true },
    tooltip: { mode: 'multi', sort: 'desc' },
  },
});

/** a series of a time series panel (by its legend) in seconds, on the right axis */
const secondsOnTheRight = (legend) => ({
  matcher: { id: 'byName', options: legend },
  properties: [
    { id: 'unit', value: 's' },
    { id: 'custom.axisPlacement', value: 'right' },
  ],
});

/** a single number, the last value; thresholds are [value, color] pairs above the base green */
const stat = (title, description, queries, { unit = 'short', width = 6, thresholds = [] } = {}) => ({
  type: 'stat',
  title,
  description,
  queries,
  width,
  fieldConfig: {
    defaults: {
      unit,
      color: { mode: 'thresholds' },
      thresholds: {
        mode: 'absolute',
        steps: [{ color: 'green', value: null }, ...thresholds.map(([value, color]) => ({ color, value }))],
      },
    },
    overrides: [],
  },
  options: {
    reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false },
    colorMode: 'value',
    graphMode: 'area',
    justifyMode: 'auto',
    orientation: 'auto',
    textMode: 'auto',
    wideLayout: true,
    showPercentChange: false,
  },
});

const row = (title, panels) => ({ title, panels });

const PANEL_HEIGHT = 8;
const STAT_HEIGHT = 4;

/** lays the rows out on Grafana's grid of 24 columns, numbering the panels */
function layout(rows) {
  const panels = [];
  let id = 1;
  let y = 0;
  for (const r of rows) {
    panels.push({ type: 'row', id: id++, title: r.title, collapsed: false, gridPos: { h: 1, w: 24, x: 0, y }, panels: [] });
    y += 1;
    let x = 0;
    let lineHeight = 0;
    for (const p of r.panels) {
      const h = p.type === 'stat' ? STAT_HEIGHT : PANEL_HEIGHT;
      if (x + p.width > 24) {
        y += lineHeight;
        x = 0;
        lineHeight = 0;
      }
      panels.push({
        type: p.type,
        id: id++,
        title: p.title,
        description: p.description,
        datasource: DATASOURCE,
        gridPos: { h, w: p.width, x, y },
        fieldConfig: p.fieldConfig,
        options: p.options,
        targets: p.queries.map((query, i) => ({
          datasource: DATASOURCE,
          refId: String.fromCharCode(65 + i),
          editorMode: 'code',
          expr: query.expr,
          legendFormat: query.legend,
          range: true,
        })),
      });
      x += p.width;
      lineHeight = Math.max(lineHeight, h);
    }
    y += lineHeight;
  }
  return panels;
}

function dashboard({ uid, title, description, tags, variables, rows }) {
  return {
    annotations: {
      list: [
        {
          builtIn: 1,
          datasource: { type: 'grafana', uid: '-- Grafana --' },
          enable: true,
          hide: true,
          iconColor: 'rgba(0, 211, 255, 1)',
          name: 'Annotations & Alerts',
          type: 'dashboard',
        },
      ],
    },
    description: `${description} Generated by deploy/monitoring/dashboards/generate.mjs: edit the script, not this file.`,
    editable: true,
    fiscalYearStartMonth: 0,
    graphTooltip: 1,
    id: null,
    links: [{ type: 'dashboards', title: 'Platform', tags: [TAG], asDropdown: true, includeVars: false, keepTime: true }],
    panels: layout(rows),
    refresh: '30s',
    schemaVersion: SCHEMA_VERSION,
    tags: [TAG, ...tags],
    templating: { list: variables },
    time: { from: 'now-1h', to: 'now' },
    timepicker: {},
    timezone: 'browser',
    title,
    uid,
    version: 1,
    weekStart: '',
  };
}

// ---- PromQL -------------------------------------------------------------------------------------------

/** a label selector from [label, op, value] triples */
const selector = (...matchers) => `{${matchers.map(([label, op, value]) => `${label}${op}"${value}"`).join(', ')}}`;

const quantiles = (bucketSelector, by = []) =>
  [0.5, 0.95, 0.99].map((quantile) =>
    q(
      `histogram_quantile(${quantile}, sum by (${['le', ...by].join(', ')}) (rate(${bucketSelector}[${RATE}])))`,
      `p${Math.round(quantile * 100)}${by.map((l) => ` {{${l}}}`).join('')}`,
    ),
  );

// ---- a service's dashboard ----------------------------------------------------------------------------

function serviceRows(service, traits, stores) {
  const own = [
    ['service', '=', service],
    ['instance', '=~', '$instance'],
  ];
  const sel = (...more) => selector(...own, ...more);
  const httpCount = (...more) => `http_server_request_duration_seconds_count${sel(...more)}`;
  const rows = [];

  rows.push(
    row('HTTP', [
      timeseries(
        'Requests per second by route',
        'Every request the service answered, by method and route pattern (unmatched: unknown urls).',
        [q(`sum by (http_request_method, http_route) (rate(${httpCount()}[${RATE}]))`, '{{http_request_method}} {{http_route}}')],
        { unit: 'reqps' },
      ),
      timeseries(
        '5xx error ratio',
        'Share of the requests answered with a 5xx status, over all routes and by route.',
        [
          q(
            `sum(rate(${httpCount(['http_response_status_code', '=~', '5..'])}[${RATE}])) / sum(rate(${httpCount()}[${RATE}]))`,
            'all routes',
          ),
          q(
            `sum by (http_route) (rate(${httpCount(['http_response_status_code', '=~', '5..'])}[${RATE}])) / sum by (http_route) (rate(${httpCount()}[${RATE}]))`,
            '{{http_route}}',
          ),
        ],
        { unit: 'percentunit' },
      ),
      timeseries(
        'Latency p50 / p95 / p99',
        'Request duration over all routes, from the http_server_request_duration_seconds histogram.',
        quantiles(`http_server_request_duration_seconds_bucket${sel()}`),
        { unit: 's' },
      ),
      timeseries(
        'Latency p95 by route',
        'The 95th percentile of the request duration, per route pattern.',
        [
          q(
            `histogram_quantile(0.95, sum by (le, http_route) (rate(http_server_request_duration_seconds_bucket${sel()}[${RATE}])))`,
            '{{http_route}}',
          ),
        ],
        { unit: 's' },
      ),
    ]),
  );

  if (traits.consumer)
    rows.push(
      row('Kafka consumers', [
        timeseries(
          'Consumed messages by topic and outcome',
          'handled and dead_lettered once per message; retried per failed attempt; paused per wait while a store is down.',
          [
            q(
              `sum by (messaging_destination_name, outcome) (rate(messaging_client_consumed_messages_total${sel()}[${RATE}]))`,
              '{{messaging_destination_name}} {{outcome}}',
            ),
          ],
          { unit: 'ops' },
        ),
        timeseries(
          'Handling time p95 by topic',
          "From a message's first attempt to handled or dead_lettered, waits and retries included.",
          [
            q(
              `histogram_quantile(0.95, sum by (le, messaging_destination_name) (rate(messaging_process_duration_seconds_bucket${sel()}[${RATE}])))`,
              '{{messaging_destination_name}}',
            ),
          ],
          { unit: 's' },
        ),
        timeseries(
          'Consumer lag by topic and partition',
          "The partition's end offset minus the group's committed offset; every replica reads the same, hence max.",
          [
            q(
              `max by (messaging_destination_name, messaging_destination_partition_id) (messaging_kafka_consumer_lag${sel()})`,
              '{{messaging_destination_name}} [{{messaging_destination_partition_id}}]',
            ),
          ],
        ),
        timeseries(
          'Dead letters retained',
          'Messages in the dead-letter topic of each topic the service consumes (npm run dlq inspects and replays them).',
          [q(`max by (messaging_destination_name) (messaging_kafka_dead_letter_messages${sel()})`, '{{messaging_destination_name}}')],
        ),
      ]),
    );

  rows.push(
    row('Kafka producers', [
      timeseries(
        'Sent messages by topic and outcome',
        'Events and dead letters sent to Kafka: sent, or failed.',
        [
          q(
            `sum by (messaging_destination_name, outcome) (rate(messaging_client_sent_messages_total${sel()}[${RATE}]))`,
            '{{messaging_destination_name}} {{outcome}}',
          ),
        ],
        { unit: 'ops', width: 24 },
      ),
    ]),
  );

  if (traits.outbox)
    rows.push(
      row('Outbox', [
        timeseries(
          'Outbox backlog',
          'Events committed and not yet sent to Kafka. Read from the store on scrape: absent while the store is down.',
          [q(`max by (db_system_name) (outbox_events${sel()})`, '{{db_system_name}}')],
          { width: 8 },
        ),
        timeseries(
          'Oldest unsent event',
          'Age of the oldest event of the outbox; 0 when it is empty.',
          [q(`max by (db_system_name) (outbox_oldest_event_age_seconds${sel()})`, '{{db_system_name}}')],
          { unit: 's', width: 8 },
        ),
        timeseries(
          'Relayed events per second',
          'Events the relay sent to Kafka.',
          [q(`sum by (db_system_name) (rate(outbox_relayed_events_total${sel()}[${RATE}]))`, '{{db_system_name}}')],
          { unit: 'ops', width: 8 },
        ),
      ]),
    );

  if (stores.some((s) => STORE_POOLS.includes(s)))
    rows.push(
      row('Connection pools', [
        timeseries(
          'Pool connections by state',
          "Connections of each store client's pool, used and idle, against the configured maximum (summed over the replicas). Redis has one connection and no pool.",
          [
            q(`sum by (db_system_name, state) (db_client_connection_count${sel()})`, '{{db_system_name}} {{state}}'),
            q(`sum by (db_system_name) (db_client_connection_max${sel()})`, '{{db_system_name}} max'),
          ],
          { width: 8 },
        ),
        timeseries(
          'Pool usage, busiest replica',
          "Used connections over the pool's maximum, on the replica where it is highest.",
          [
            q(
              `max by (db_system_name) (db_client_connection_count${sel(['state', '=', 'used'])} / ignoring (state) db_client_connection_max${sel()})`,
              '{{db_system_name}}',
            ),
          ],
          { unit: 'percentunit', width: 8, max: 1 },
        ),
        timeseries(
          'Requests waiting for a connection',
          'Requests queued because every connection of the pool is in use (redis: commands sent and not yet answered; cassandra: queries in flight).',
          [q(`sum by (db_system_name) (db_client_connection_pending_requests${sel()})`, '{{db_system_name}}')],
          { width: 8 },
        ),
      ]),
    );

  for (const extra of traits.extra) rows.push(EXTRAS[extra](sel));

  rows.push(
    row('Runtime', [
      timeseries(
        'CPU',
        'CPU time used per second by each replica (100% = one core).',
        [q(`rate(process_cpu_seconds_total${sel()}[${RATE}])`, '{{instance}}')],
        { unit: 'percentunit', width: 6 },
      ),
      timeseries('Resident memory', "The process's resident set size.", [q(`process_resident_memory_bytes${sel()}`, '{{instance}}')], {
        unit: 'bytes',
        width: 6,
      }),
      timeseries('Heap used', 'V8 heap in use.', [q(`nodejs_heap_size_used_bytes${sel()}`, '{{instance}}')], { unit: 'bytes', width: 6 }),
      timeseries(
        'Event loop lag p99',
        'How late timers fire: a busy or blocked event loop delays every request.',
        [q(`nodejs_eventloop_lag_p99_seconds${sel()}`, '{{instance}}')],
        { unit: 's', width: 6 },
      ),
    ]),
  );
  return rows;
}

/** the panels of a service of its own, given its selector function */
const EXTRAS = {
  cache: (sel) =>
    row('Product cache', [
      timeseries(
        'Cache hit ratio',
        'Reads of the product cache answered from it.',
        [
          q(
            `sum by (cache) (rate(cache_requests_total${sel(['result', '=', 'hit'])}[${RATE}])) / sum by (cache) (rate(cache_requests_total${sel()}[${RATE}]))`,
            '{{cache}}',
          ),
        ],
        { unit: 'percentunit', max: 1 },
      ),
      timeseries(
        'Cache reads by result',
        'Hits and misses per second.',
        [q(`sum by (cache, result) (rate(cache_requests_total${sel()}[${RATE}]))`, '{{cache}} {{result}}')],
        { unit: 'ops' },
      ),
    ]),
  saga: (sel) =>
    row('Order saga (the saga dashboard has the whole of it)', [
      timeseries(
        'Orders settled per second by outcome',
        'Counted after the settling transaction committed.',
        [q(`sum by (outcome) (rate(order_saga_outcomes_total${sel()}[${RATE}]))`, '{{outcome}}')],
        { unit: 'ops', width: 8 },
      ),
      timeseries(
        'Saga duration p95 by outcome',
        "From an order's commit to its settlement.",
        [q(`histogram_quantile(0.95, sum by (le, outcome) (rate(order_saga_duration_seconds_bucket${sel()}[${RATE}])))`, '{{outcome}}')],
        { unit: 's', width: 8 },
      ),
      timeseries(
        'Pending orders',
        "Orders waiting for the catalog's answer, and the age of the oldest (right axis).",
        [q(`max(orders_pending${sel()})`, 'pending'), q(`max(orders_pending_oldest_age_seconds${sel()})`, 'oldest age')],
        { width: 8, overrides: [secondsOnTheRight('oldest age')] },
      ),
    ]),
  sse: (sel) =>
    row('Live notification streams', [
      timeseries(
        'Open streams',
        'Server-sent event streams open on each replica, and in all.',
        [q(`sum(sse_connections${sel()})`, 'all replicas'), q(`sse_connections${sel()}`, '{{instance}}')],
        { width: 24 },
      ),
    ]),
};

function serviceDashboard(service) {
  const traits = TRAITS[service.name];
  return dashboard({
    uid: `ecom-${service.name}`,
    title: `ecom / ${service.name}`,
    description: `${service.name} (${service.description}): HTTP, Kafka, ${traits.outbox ? 'outbox, ' : ''}pools and runtime.`,
    tags: ['service', service.name],
    variables: [datasourceVariable(), instanceVariable(service.name)],
    rows: serviceRows(service.name, traits, service.stores),
  });
}

// ---- the order saga ----------------------------------------------------------------------------------

function sagaDashboard() {
  const order = (...more) => selector(['service', '=', 'order-service'], ...more);
  const sagaTopics = selector(['messaging_destination_name', '=~', SAGA_TOPIC_REGEX]);
  const sagaDeadLetters = selector(['messaging_destination_name', '=~', `(${SAGA_TOPIC_REGEX}).dlt`]);
  return dashboard({
    uid: 'ecom-order-saga',
    title: 'ecom / order saga',
    description: `The order saga across the services: order-service places and settles orders, product-service reserves and releases stock; topics ${SAGA_TOPICS.join(', ')}.`,
    tags: ['saga'],
    variables: [datasourceVariable()],
    rows: [
      row('Now', [
        stat('Orders settled per second', 'All outcomes.', [q(`sum(rate(order_saga_outcomes_total${order()}[${RATE}]))`, 'settled')], {
          unit: 'ops',
        }),
        stat('Pending orders', "Orders waiting for the catalog's answer.", [q(`max(orders_pending${order()})`, 'pending')], {
          thresholds: [[100, 'orange']],
        }),
        stat(
          'Oldest pending order',
          'Age of the oldest PENDING order; 0 when none waits.',
          [q(`max(orders_pending_oldest_age_seconds${order()})`, 'oldest')],
          {
            unit: 's',
            thresholds: [
              [30, 'orange'],
              [120, 'red'],
            ],
          },
        ),
        stat(
          'Dead letters on saga topics',
          'Messages retained in the dead-letter topics of the saga.',
          [q(`sum(max by (messaging_destination_name) (messaging_kafka_dead_letter_messages${sagaDeadLetters}))`, 'dead letters')],
          { thresholds: [[1, 'red']] },
        ),
      ]),
      row('Orders', [
        timeseries(
          'Orders settled per second by outcome',
          'confirmed, rejected (out of stock) or cancelled; counted after the settling transaction committed.',
          [q(`sum by (outcome) (rate(order_saga_outcomes_total${order()}[${RATE}]))`, '{{outcome}}')],
          { unit: 'ops', stack: true },
        ),
        timeseries(
          'Saga duration p50 / p95 / p99',
          "From an order's commit to its settlement, all outcomes.",
          quantiles(`order_saga_duration_seconds_bucket${order()}`),
          { unit: 's' },
        ),
        timeseries('Pending orders', "Orders waiting for the catalog's answer. Read from the store on scrape.", [
          q(`max(orders_pending${order()})`, 'pending'),
        ]),
        timeseries(
          'Oldest pending order',
          'Age of the oldest PENDING order; 0 when none waits.',
          [q(`max(orders_pending_oldest_age_seconds${order()})`, 'oldest')],
          { unit: 's' },
        ),
      ]),
      row('Outboxes', [
        timeseries(
          'Oldest unsent event by service',
          'Age of the oldest event committed and not yet sent to Kafka, in each outbox.',
          [q('max by (service, db_system_name) (outbox_oldest_event_age_seconds)', '{{service}} ({{db_system_name}})')],
          { unit: 's' },
        ),
        timeseries('Outbox backlog by service', 'Events committed and not yet sent to Kafka.', [
          q('max by (service, db_system_name) (outbox_events)', '{{service}} ({{db_system_name}})'),
        ]),
      ]),
      row('Topics of the saga', [
        timeseries(
          'Sent messages by topic',
          'Events of the saga sent to Kafka, and dead letters of its topics, by outcome (sent or failed).',
          [
            q(
              `sum by (messaging_destination_name, outcome) (rate(messaging_client_sent_messages_total${selector(['messaging_destination_name', '=~', `(${SAGA_TOPIC_REGEX})(.dlt)?`])}[${RATE}]))`,
              '{{messaging_destination_name}} {{outcome}}',
            ),
          ],
          { unit: 'ops' },
        ),
        timeseries(
          'Consumed messages by service, topic and outcome',
          'handled, retried, paused and dead_lettered.',
          [
            q(
              `sum by (service, messaging_destination_name, outcome) (rate(messaging_client_consumed_messages_total${sagaTopics}[${RATE}]))`,
              '{{service}} {{messaging_destination_name}} {{outcome}}',
            ),
          ],
          { unit: 'ops' },
        ),
        timeseries(
          'Consumer lag by group and topic',
          'Messages not yet committed by each consumer group, summed over the partitions (every replica reads the same lag, hence max first).',
          [
            q(
              `sum by (messaging_consumer_group_name, messaging_destination_name) (max by (messaging_consumer_group_name, messaging_destination_name, messaging_destination_partition_id) (messaging_kafka_consumer_lag${sagaTopics}))`,
              '{{messaging_consumer_group_name}} {{messaging_destination_name}}',
            ),
          ],
        ),
        timeseries(
          'Handling time p95 by service and topic',
          "From a message's first attempt to handled or dead_lettered.",
          [
            q(
              `histogram_quantile(0.95, sum by (le, service, messaging_destination_name) (rate(messaging_process_duration_seconds_bucket${sagaTopics}[${RATE}])))`,
              '{{service}} {{messaging_destination_name}}',
            ),
          ],
          { unit: 's' },
        ),
        timeseries(
          'Dead letters by topic',
          'Messages retained in the dead-letter topic of each saga topic.',
          [
            q(
              `max by (messaging_destination_name) (messaging_kafka_dead_letter_messages${sagaDeadLetters})`,
              '{{messaging_destination_name}}',
            ),
          ],
          { width: 24 },
        ),
      ]),
    ],
  });
}

// ---- the files ---------------------------------------------------------------------------------------

/** file name -> its JSON text */
export function render(root = REPO_ROOT) {
  const services = readServiceList(root);
  const untraited = services.filter((s) => !TRAITS[s.name]).map((s) => s.name);
  if (untraited.length)
    throw new Error(`deploy/monitoring/dashboards/generate.mjs: add ${untraited.join(', ')} to TRAITS (what its dashboard shows)`);
  const files = new Map(services.map((s) => [`${s.name}.json`, serviceDashboard(s)]));
  files.set('saga.json', sagaDashboard());
  return new Map([...files].map(([name, d]) => [name, `${JSON.stringify(d, null, 2)}\n`]));
}

function main() {
  const check = process.argv.includes('--check');
  const files = render();
  const stale = [];
  for (const [name, text] of files) {
    const path = join(HERE, name);
    const current = existsSync(path) ? readFileSync(path, 'utf8') : undefined;
    if (current === text) continue;
    stale.push(`  ${relative(REPO_ROOT, path)}${current === undefined ? ' (missing)' : ''}`);
    if (!check) writeFileSync(path, text);
  }
  for (const name of readdirSync(HERE).filter((f) => f.endsWith('.json') && !files.has(f))) {
    stale.push(`  ${relative(REPO_ROOT, join(HERE, name))} (not generated: remove it, or generate it)`);
    if (!check) rmSync(join(HERE, name));
  }
  if (check && stale.length) {
    console.error(`stale dashboards; run node deploy/monitoring/dashboards/generate.mjs:\n${stale.join('\n')}`);
    process.exit(1);
  }
  console.log(stale.length ? `wrote the dashboards:\n${stale.join('\n')}` : 'the dashboards are up to date');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
