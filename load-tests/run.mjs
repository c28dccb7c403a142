#!/usr/bin/env node
// npm run load: the load tests of load-tests/ (Locust, docs/adr/0013-locust-for-load-tests.md), headless,
// through the gateway. installs Locust once (load-tests/ensure-locust.sh), checks that every service
// answers its health route at the target, runs the scenario, writes CSV stats and an HTML report to
// load-tests/results/<scenario>-<time>/ and exits with Locust's code: 1 when a threshold
// (p95 < 500 ms, errors < 0.1 %) was missed.
//   npm run load -- [mixed|spike|soak] [--users N] [--duration 2m] [--rate R | --order-rate O] [--host URL]
//   npm run load -- --help    for every option; anything after a second `--` goes to Locust as it is
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import process from 'node:process';
import { parseArgs } from 'node:util';
import { ROOT, STACK_HOME, quiet, run } from '../tools/scripts/lib/proc.mjs';
import { readServiceList } from '../tools/scripts/lib/service-list.mjs';
import { UserError, bold, main, ok, setPrefix, step, warn } from '../tools/scripts/lib/ui.mjs';

const HERE = join(ROOT, 'load-tests');
const LOCAL = `http://localhost:${process.env.GATEWAY_PORT || 8080}`;
/** how often each task of the mix is picked (load-tests/mix.json, which locustfile.py picks by) */
const WEIGHTS = JSON.parse(readFileSync(join(HERE, 'mix.json'), 'utf8')).weights;
const share = (...tasks) => tasks.reduce((sum, t) => sum + WEIGHTS[t], 0) / Object.values(WEIGHTS).reduce((a, b) => a + b, 0);
/** the share of the tasks that place an order */
const ORDER_SHARE = share('place_order');
/**
 * the requests the local gateway limits per address, as shares of the mix: writes are orders and cancels,
 * searches are searches. by the limit's name and its zone in deploy/gateway/gateway.conf.template
 */
const LIMITED_SHARES = {
  GATEWAY_WRITE_RATE: ['writes', 'gateway_writes', share('place_order', 'cancel_order')],
  GATEWAY_SEARCH_RATE: ['searches', 'gateway_search', share('search')],
};

/** each scenario: the load shape it runs, its default users and duration (null: the shape's own) */
const SCENARIOS = {
  mixed: { shape: 'steady', users: 20, duration: '1m', what: 'the mixed traffic at a steady number of users' },
  spike: { shape: 'spike', users: 10, duration: null, what: 'the baseline, then 5x the users for 30 s, then back' },
  soak: { shape: 'soak', users: 20, duration: '10m', what: 'the mixed traffic held for 10 minutes' },
};

const USAGE = `usage: npm run load -- [scenario] [options] [-- <locust options>]

scenarios (each the mixed shopper traffic, seeded with its own catalog):
${Object.entries(SCENARIOS)
  .map(([name, s]) => `  ${name.padEnd(6)} ${s.what} (default ${s.users} users${s.duration ? `, ${s.duration}` : ''})`)
  .join('\n')}

options:
  --users N          simulated users (spike: the baseline)
  --duration T       how long, e.g. 90s, 2m, 1h (mixed, soak)
  --spawn-rate N     users started per second (default: all within ~10 s)
  --rate R           pace the users to about R requests/s in all, instead of think time
  --order-rate O     the same, given as orders/s (about 11 % of the requests are orders)
  --spike-factor F   spike: F x the users at the peak (5)
  --spike-seconds S  spike: how long the peak lasts, and each calm phase around it (30)
  --host URL         the gateway or ingress to load (LOAD_BASE_URL; default ${LOCAL})
  --out DIR          where the CSV stats and report go (default load-tests/results/<scenario>-<time>)

ADMIN_EMAIL / ADMIN_PASSWORD: the admin that seeds the run's catalog (the local stack's by default).
see load-tests/README.md`;

/** Locust's own time format: 90, 90s, 2m, 1h30m */
const DURATION = /^(\d+h)?(\d+m)?(\d+s?)?$/;

function options(argv) {
  const split = argv.indexOf('--');
  const ours = split < 0 ? argv : argv.slice(0, split);
  const extra = split < 0 ? [] : argv.slice(split + 1);
  let parsed;
  try {
    parsed = parseArgs({
      args: ours,
      allowPositionals: true,
      options: {
        users: { type: 'string', short: 'u' },
        duration: { type: 'string', short: 't' },
        'spawn-rate': { type: 'string', short: 'r' },
        rate: { type: 'string' },
        'order-rate': { type: 'string' },
        'spike-factor': { type: 'string' },
        'spike-seconds': { type: 'string' },
        host: { type: 'string' },
        out: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    throw new UserError(`${e.message} (npm run load -- --help lists the options)`);
  }
  const { values, positionals } = parsed;
  if (values.help) return { help: true };
  if (positionals.length > 1) throw new UserError(`one scenario at a time (got ${positionals.join(', ')}); npm run load -- --help`);
  const name = positionals[0] ?? 'mixed';
  const scenario = SCENARIOS[name];
  if (!scenario) throw new UserError(`unknown scenario "${name}": one of ${Object.keys(SCENARIOS).join(', ')} (npm run load -- --help)`);

  const number = (key, { integer = false, min = 0 } = {}) => {
    if (values[key] === undefined) return undefined;
    const n = Number(values[key]);
    if (!Number.isFinite(n) || n <= min || (integer && !Number.isInteger(n)))
      throw new UserError(`--${key} must be a ${integer ? 'whole ' : ''}number above ${min} (got "${values[key]}")`);
    return n;
  };
  const rate = number('rate');
  const orderRate = number('order-rate');
  if (rate && orderRate) throw new UserError('--rate and --order-rate both set the pace: give one of them');
  if (values.duration !== undefined && !DURATION.test(values.duration))
    throw new UserError(`--duration must be like 90s, 2m or 1h30m (got "${values.duration}")`);
  if (values.duration !== undefined && !scenario.duration) warn(`--duration has no effect on ${name}: its length is 3 x --spike-seconds`);

  // paced without --users: enough users that each has 500 ms (the p95 threshold) or more per request
  const paced = rate ?? (orderRate ? orderRate / ORDER_SHARE : undefined);
  const users = number('users', { integer: true }) ?? (paced ? Math.max(scenario.users, Math.ceil(paced / 2)) : scenario.users);
  const host = (values.host ?? process.env.LOAD_BASE_URL ?? LOCAL).replace(/\/$/, '');
  try {
    new URL(host);
  } catch {
    throw new UserError(`--host must be a URL such as ${LOCAL} (got "${host}")`);
  }
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return {
    name,
    scenario,
    users,
    duration: values.duration ?? scenario.duration,
    // Locust's own default is 1 user/s: all of them within ~10 s instead
    spawnRate: number('spawn-rate') ?? Math.max(1, Math.ceil(users / 10)),
    rate,
    orderRate,
    spikeFactor: number('spike-factor', { integer: true, min: 1 }),
    spikeSeconds: number('spike-seconds', { integer: true }),
    host,
    out: values.out ? resolve(values.out) : join(HERE, 'results', `${name}-${stamp}`),
    extra,
  };
}

/**
 * the local gateway's per-address limits a paced run would pass (every request comes from one address):
 * its 429s count as errors, so the run fails on the gateway's config, not on the platform's speed. the
 * limits are those the running local gateway was rendered with, else the environment's, else
 * deploy/gateway/rate-limits.local.env's, as the stack would render them
 */
function localLimitsPassed(o) {
  const paced = o.rate ?? (o.orderRate ? o.orderRate / ORDER_SHARE : undefined);
  if (!paced || o.host !== LOCAL) return [];
  const rendered = join(STACK_HOME, 'data', 'gateway', 'gateway.conf');
  const running = existsSync(rendered) ? readFileSync(rendered, 'utf8') : '';
  const file = readFileSync(join(ROOT, 'deploy/gateway/rate-limits.local.env'), 'utf8');
  const fromFile = Object.fromEntries(file.split('\n').flatMap((line) => (/^GATEWAY_[A-Z_]+=/.test(line) ? [line.split('=')] : [])));
  return Object.entries(LIMITED_SHARES).flatMap(([name, [what, zone, share]]) => {
    const limit =
      new RegExp(`zone=${zone}:\\S+ rate=(\\d+)r/s`).exec(running)?.[1] ??
      /^(\d+)r\/s$/.exec(process.env[name] ?? fromFile[name] ?? '')?.[1];
    const sent = paced * share;
    return limit && sent > Number(limit) ? [`${Math.round(sent)} ${what}/s against its ${limit} (${name})`] : [];
  });
}

/** every service's health route, through the target: the load would only measure errors otherwise */
async function checkTarget(host) {
  const services = readServiceList(ROOT);
  const down = [];
  let unreachable = 0;
  for (const { name, health } of services) {
    try {
      const res = await fetch(`${host}${health}`, { signal: AbortSignal.timeout(5000) });
      if (res.status !== 200) down.push(`${name} (${health}: HTTP ${res.status})`);
    } catch (e) {
      unreachable += 1;
      down.push(`${name} (${health}: ${e.cause?.code ?? e.message})`);
    }
  }
  if (down.length === 0) return;
  const local = host === LOCAL || /^https?:\/\/(localhost|127\.0\.0\.1)(:|\/|$)/.test(host);
  const what =
    unreachable === services.length ? `nothing answers at ${host}` : `${host} does not serve everything the load needs: ${down.join(', ')}`;
  throw new UserError(
    `${what}. ` +
      (local
        ? 'Start the platform with `npm start` (it starts the stack and the five services, and waits until they are ready), then run this again.'
        : 'Check the URL (--host or LOAD_BASE_URL) and that the platform behind it is up.'),
  );
}

/** the pinned Locust, installed into the tools cache on first use; its path is the installer's last line */
async function ensureLocust() {
  step('Locust: load-tests/ensure-locust.sh (installs it once, about a minute)');
  const { code, stdout, output } = await quiet('bash', [join(HERE, 'ensure-locust.sh')], { timeoutMs: 15 * 60_000 });
  const notes = output
    .split('\n')
    .filter((l) => l.startsWith('[locust]'))
    .join('\n');
  if (notes) console.log(notes);
  if (code !== 0) throw new UserError(`installing Locust failed (bash load-tests/ensure-locust.sh):\n${output.trim()}`);
  const locust = stdout.trim().split('\n').pop() ?? '';
  if (!existsSync(locust)) throw new UserError(`load-tests/ensure-locust.sh named no locust executable (got "${locust}")`);
  return locust;
}

main(async () => {
  setPrefix('load');
  const o = options(process.argv.slice(2));
  if (o.help) {
    console.log(USAGE);
    return 0;
  }
  const passed = localLimitsPassed(o);
  if (passed.length > 0)
    warn(
      `at this pace the mix sends the local gateway more than it lets one address send: ${passed.join(', ')}. ` +
        'Its 429s count as errors. Raise the limits for the run (those names in the environment when the stack ' +
        'starts override deploy/gateway/rate-limits.local.env) or ask for less.',
    );
  const locust = await ensureLocust();
  step(`checking ${o.host}`);
  await checkTarget(o.host);

  mkdirSync(o.out, { recursive: true });
  const args = [
    '-f',
    join(HERE, 'locustfile.py'),
    '--headless',
    '--only-summary',
    '--host',
    o.host,
    '--shape',
    o.scenario.shape,
    '--users',
    String(o.users),
    ...(o.duration ? ['--run-time', o.duration] : []),
    '--spawn-rate',
    String(o.spawnRate),
    ...(o.rate ? ['--rate', String(o.rate)] : []),
    ...(o.orderRate ? ['--order-rate', String(o.orderRate)] : []),
    ...(o.spikeFactor ? ['--spike-factor', String(o.spikeFactor)] : []),
    ...(o.spikeSeconds ? ['--spike-seconds', String(o.spikeSeconds)] : []),
    '--csv',
    join(o.out, 'stats'),
    '--html',
    join(o.out, 'report.html'),
    ...o.extra,
  ];
  step(bold(`${o.name}: ${o.users} users${o.duration ? ` for ${o.duration}` : ''} against ${o.host}`));
  // ctrl-c reaches Locust too, which stops, prints its summary and exits: wait for that
  const ignore = () => {
    // Locust has it and stops
  };
  process.on('SIGINT', ignore);
  const { code } = await run(locust, args, { env: { ...process.env, PYTHONUNBUFFERED: '1' } });
  process.off('SIGINT', ignore);
  const near = relative(process.cwd(), o.out);
  const where = near.startsWith('..') ? o.out : near || '.';
  step(`results: ${where}/stats_stats.csv (per route), stats_stats_history.csv, stats_failures.csv, report.html`);
  if (code === 0) ok(`${o.name}: passed`);
  else warn(`${o.name}: Locust exited ${code} (the reason is in the lines above)`);
  return code;
});
