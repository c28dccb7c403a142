import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { settings } from './support/settings';

// the load tests' short form: the mixed scenario of load-tests/ (Locust), headless for 20 s at 10
// users through the gateway, by the same runner as `npm run load`. the runner exits 0 only when the
// users' thresholds held (p95 < 500 ms, errors < 0.1 %); its CSV stats show what was exercised.
// Locust is pinned and installed outside the repo, once, by load-tests/ensure-locust.sh.

const ROOT = resolve(__dirname, '../../..');
const RUNNER = join(ROOT, 'load-tests', 'run.mjs');
const OUT = join(ROOT, 'load-tests', 'results', `e2e-${new Date().toISOString().replace(/[-:.]/g, '')}-${randomUUID().slice(0, 4)}`);

const USERS = 10;
const DURATION = '20s';
/** fewer than this would mean the run did not really run: 10 users make ~5 requests/s */
const MIN_REQUESTS = 50;
/** the users' error threshold, as load-tests/thresholds.py has it */
const ERROR_RATIO = 0.001;

interface Outcome {
  readonly code: number | null;
  readonly output: string;
}

function exec(file: string, args: string[], timeoutMs: number): Promise<Outcome> {
  return new Promise((done) => {
    execFile(
      file,
      args,
      {
        cwd: ROOT,
        timeout: timeoutMs,
        maxBuffer: 64 * 1024 * 1024,
        env: { ...process.env, NO_COLOR: '1', ADMIN_EMAIL: settings.admin.email, ADMIN_PASSWORD: settings.admin.password },
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
        done({ code, output: `${stdout}${stderr}${error && code === null ? `\n${error.message}` : ''}` });
      },
    );
  });
}

interface Row {
  readonly name: string;
  readonly requests: number;
  readonly failures: number;
  readonly p95: number;
}

/** Locust's per-route CSV (stats_stats.csv): one row per request name, and "Aggregated" */
function statsOf(file: string): Map<string, Row> {
  const [header, ...lines] = readFileSync(file, 'utf8').trim().split('\n');
  const columns = header.split(',');
  const at = (name: string) => {
    const i = columns.indexOf(name);
    if (i < 0) throw new Error(`${file} has no column "${name}": ${header}`);
    return i;
  };
  const [name, requests, failures, p95] = [at('Name'), at('Request Count'), at('Failure Count'), at('95%')];
  return new Map(
    lines.map((line) => {
      const cells = line.split(',');
      const row = { name: cells[name], requests: Number(cells[requests]), failures: Number(cells[failures]), p95: Number(cells[p95]) };
      return [row.name, row];
    }),
  );
}

describe('load: the mixed scenario, short', () => {
  let run: Outcome;
  let stats: Map<string, Row>;

  beforeAll(async () => {
    // the first run installs Locust (about a minute); the run itself takes 20 s and the seeding
    run = await exec(
      process.execPath,
      [RUNNER, 'mixed', '--users', String(USERS), '--spawn-rate', '5', '--duration', DURATION, '--host', settings.baseUrl, '--out', OUT],
      10 * 60_000,
    );
    process.stdout.write(
      `\n[load] ${run.output
        .split('\n')
        .filter((l) => /\[load\] (PASS|FAIL|measured|orders)/.test(l))
        .join('\n[load] ')}\n`,
    );
    // no file when the runner stopped before Locust ran: the exit code's test shows why
    const csv = join(OUT, 'stats_stats.csv');
    stats = existsSync(csv) ? statsOf(csv) : new Map();
  }, 11 * 60_000);

  it('meets the thresholds: the runner exits 0', () => {
    if (run.code !== 0) throw new Error(`npm run load -- mixed exited ${run.code}; its output:\n${run.output}`);
  });

  it('made enough requests, and failed within the error threshold', () => {
    const total = stats.get('Aggregated');
    expect(total).toBeDefined();
    expect(total?.requests).toBeGreaterThanOrEqual(MIN_REQUESTS);
    expect((total?.failures ?? 0) / (total?.requests ?? 1)).toBeLessThan(ERROR_RATIO);
  });

  it('exercised every kind of request, orders among them', () => {
    const routes = ['POST /api/users', 'POST /api/auth/login', 'GET /api/products', 'GET /api/products/:id', 'POST /api/orders'];
    expect(routes.filter((route) => !((stats.get(route)?.requests ?? 0) > 0))).toEqual([]);
    expect(stats.get('POST /api/orders')?.failures).toBe(0);
  });
});
