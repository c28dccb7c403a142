import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { settings } from './support/settings';
import {
  adminDirect,
  customerDirect,
  openApiDocument,
  operationsOf,
  SERVICE_NAMES,
  serviceUrl,
  type DirectActor,
  type ServiceName,
} from './support/services';

// every operation of every service's OpenAPI document, fuzzed by Schemathesis with a customer's
// token and with an admin's: positive and negative inputs, bounded per operation. a finding fails
// the test with Schemathesis's report: a 5xx, a status the document does not list, a content type or
// a body that is not what it says. the CLI is pinned and installed outside the repo by
// tools/schemathesis/ensure-schemathesis.sh; JUnit reports land in tmp/schemathesis (gitignored).

const ROOT = resolve(__dirname, '../../..');
const REPORTS = join(ROOT, 'tmp', 'schemathesis');
const INSTALLER = join(ROOT, 'tools', 'schemathesis', 'ensure-schemathesis.sh');
/** ids seen in responses are never reused: the stores are shared (see the file) */
const CONFIG = join(ROOT, 'tools', 'schemathesis', 'schemathesis.toml');

/** test cases per operation and phase: small enough for the whole run to take minutes on 2 cores */
const MAX_EXAMPLES = settings.schemathesisMaxExamples;
const CHECKS = [
  'not_a_server_error',
  'status_code_conformance',
  'content_type_conformance',
  'response_schema_conformance',
  // a method a path does not take: 405 with Allow
  'unsupported_method',
];

/**
 * what is not fuzzed, and why:
 *  - the live stream answers 200 with an endless body: a request/response fuzzer can only time out
 *    on it (the authorization matrix covers who may open it);
 *  - with the admin's token, PATCH /api/users/me would set the seeded admin's password to whatever
 *    was generated, and every later login as admin would fail (the customer run covers the route).
 */
const EXCLUDED: Record<Role, string[]> = {
  customer: ['GET /api/notifications/stream'],
  admin: ['GET /api/notifications/stream', 'PATCH /api/users/me'],
};

// fuzzed logins count against a documentation address (rfc 5737), not against the address of the
// machine the suite runs on: the services trust X-Forwarded-For from loopback, as from the gateway
const CLIENT_ADDRESS: Record<Role, string> = { customer: '192.0.2.10', admin: '192.0.2.20' };

type Role = 'customer' | 'admin';

interface Outcome {
  readonly code: number | null;
  /** stdout and stderr, one after the other */
  readonly output: string;
  readonly stdout: string;
}

function exec(file: string, args: string[], opts: { cwd?: string; timeoutMs: number }): Promise<Outcome> {
  return new Promise((done) => {
    execFile(
      file,
      args,
      { cwd: opts.cwd, timeout: opts.timeoutMs, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, NO_COLOR: '1' } },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
        done({ code, stdout, output: `${stdout}${stderr}${error && code === null ? `\n${error.message}` : ''}` });
      },
    );
  });
}

/** the pinned CLI, installed on first use (progress on stderr); its path is the last line of the installer's stdout */
async function ensureSchemathesis(): Promise<string> {
  const { code, output, stdout } = await exec('bash', [INSTALLER], { timeoutMs: 10 * 60_000 });
  if (code !== 0) throw new Error(`installing Schemathesis failed (bash ${INSTALLER}):\n${output}`);
  return stdout.trim().split('\n').pop() as string;
}

/** what one run tested, from its report: operations tested, test cases generated, failures found */
function totalsOf(output: string): { operations: number; cases: number; failures: number } {
  const number = (re: RegExp) => Number(re.exec(output)?.[1] ?? 0);
  return {
    operations: number(/^\s*Tested:\s+(\d+)/m),
    cases: number(/^\s*(\d+) generated\b/m),
    failures: number(/(\d+) unique failures?/),
  };
}

describe('Schemathesis against every OpenAPI document', () => {
  let st: string;
  const actors = {} as Record<Role, DirectActor>;
  const totals = { runs: 0, operations: 0, cases: 0, failures: 0 };

  beforeAll(async () => {
    mkdirSync(REPORTS, { recursive: true });
    st = await ensureSchemathesis();
    actors.customer = await customerDirect('Fuzz');
    actors.admin = await adminDirect();
  }, 10 * 60_000);

  afterAll(() => {
    process.stdout.write(
      `\n[schemathesis] ${totals.runs} runs: ${totals.operations} operations tested, ${totals.cases} test cases, ${totals.failures} failures\n`,
    );
  });

  const cases = SERVICE_NAMES.flatMap((service) => (['customer', 'admin'] as const).map((role) => ({ service, role })));

  it.each(cases)(
    '$service, with a $role token: no 5xx, and every answer is as its document says',
    async ({ service, role }: { service: ServiceName; role: Role }) => {
      const document = join(REPORTS, `${service}.openapi.json`);
      const spec = await openApiDocument(service);
      writeFileSync(document, JSON.stringify(spec, null, 2));
      const labels = new Set(operationsOf(service, spec).map((op) => `${op.method} ${op.path}`));
      const name = `${service}-${role}`;
      const args = [
        '--config-file',
        CONFIG,
        'run',
        document,
        '--url',
        serviceUrl(service),
        '--checks',
        CHECKS.join(','),
        '--phases',
        'examples,coverage,fuzzing',
        '--max-examples',
        String(MAX_EXAMPLES),
        '--workers',
        '1',
        '--request-timeout',
        '10',
        '--generation-database',
        'none',
        '--suppress-health-check',
        'all',
        '--no-color',
        '--report',
        'junit',
        '--report-dir',
        REPORTS,
        '--report-junit-path',
        join(REPORTS, `${name}.junit.xml`),
        '--header',
        `Authorization: Bearer ${actors[role].token}`,
        '--header',
        `X-Forwarded-For: ${CLIENT_ADDRESS[role]}`,
        // an operation's name is its label, "METHOD /path"
        ...EXCLUDED[role].filter((op) => labels.has(op)).flatMap((op) => ['--exclude-name', op]),
      ];
      const { code, output } = await exec(st, args, { cwd: REPORTS, timeoutMs: 8 * 60_000 });
      const found = totalsOf(output);
      totals.runs += 1;
      totals.operations += found.operations;
      totals.cases += found.cases;
      totals.failures += found.failures;
      process.stdout.write(`[schemathesis] ${name}: ${found.operations} operations tested, ${found.cases} test cases, exit ${code}\n`);
      if (code !== 0) throw new Error(`Schemathesis found problems in ${name} (exit ${code}); its report:\n${output}`);
      // it did test something: a run that selected nothing would pass vacuously
      expect(found.operations).toBeGreaterThan(0);
      expect(found.cases).toBeGreaterThan(0);
    },
    10 * 60_000,
  );
});
