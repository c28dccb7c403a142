// npm run audit: `npm audit --omit=dev` against the advisory database, judged by audit-policy.ts
// with the exceptions in tools/delivery-check/audit-exceptions.json. exit 0 clean, 1 findings,
// 2 when the advisory database could not be asked (nothing was checked then).
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { judge, passes, type AuditException } from './audit-policy';

const root = join(__dirname, '..', '..', '..', '..');
const exceptionsFile = join(root, 'tools', 'delivery-check', 'audit-exceptions.json');

const exceptions = JSON.parse(readFileSync(exceptionsFile, 'utf8')) as AuditException[];
console.log('[audit] npm audit --omit=dev (the dependencies the services ship)');
const npm = spawnSync('npm', ['audit', '--omit=dev', '--json'], { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
let report: unknown;
try {
  report = JSON.parse(npm.stdout);
} catch {
  report = undefined;
}
// without an answer from the advisory endpoint, npm writes an error object instead of a report
const failure = report as { error?: { summary?: string }; message?: string; auditReportVersion?: number } | undefined;
if (failure?.auditReportVersion === undefined) {
  const why = failure?.error?.summary || failure?.message || (npm.stderr.trim().split('\n').pop() || `npm exited ${npm.status}`);
  console.error(`[audit] the advisory database could not be asked: ${why}`);
  console.error('[audit] npm audit needs the registry\'s advisory endpoint; run it where the registry offers one (the delivery workflow does)');
  process.exit(2);
}

const verdict = judge(report, exceptions, new Date().toISOString().slice(0, 10));
for (const a of verdict.excepted) console.log(`[audit] excepted ${a.severity} ${a.id} in ${a.package}: ${a.title}`);
for (const a of verdict.blocking) console.error(`[audit] ${a.severity} ${a.id} in ${a.package}: ${a.title} (${a.url})`);
for (const e of verdict.expired) console.error(`[audit] the exception for ${e.advisory} expired on ${e.expires}: fix it or renew it with a reason`);
for (const e of verdict.unused) console.error(`[audit] the exception for ${e.advisory} matches no advisory any more: remove it`);
for (const p of verdict.problems) console.error(`[audit] ${exceptionsFile}: ${p}`);
if (passes(verdict)) console.log(`[audit] clean: no high or critical advisory${verdict.excepted.length ? ` beyond ${verdict.excepted.length} excepted` : ''}`);
process.exit(passes(verdict) ? 0 : 1);
