import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { advisoriesOf, exceptionProblems, judge, passes } from './audit-policy';

// the shape `npm audit --json` writes (report version 2): advisories sit in `via`, a string in
// `via` names the dependency that brings the vulnerable package in
const report = {
  auditReportVersion: 2,
  vulnerabilities: {
    'bad-parser': {
      name: 'bad-parser',
      severity: 'high',
      via: [{ source: 1, name: 'bad-parser', title: 'Prototype pollution', url: 'https://github.com/advisories/GHSA-2345-6789-cfgh', severity: 'high' }],
    },
    'uses-bad-parser': { name: 'uses-bad-parser', severity: 'high', via: ['bad-parser'] },
    'slow-regex': {
      name: 'slow-regex',
      severity: 'moderate',
      via: [{ source: 2, name: 'slow-regex', title: 'ReDoS', url: 'https://github.com/advisories/GHSA-jmpq-rvwx-2345', severity: 'moderate' }],
    },
  },
  metadata: { vulnerabilities: { high: 2, moderate: 1 } },
};
const clean = { auditReportVersion: 2, vulnerabilities: {}, metadata: { vulnerabilities: {} } };
const exception = { advisory: 'GHSA-2345-6789-cfgh', reason: 'only reached from the build tooling, never with input from a request', expires: '2027-01-31' };

describe('npm audit policy', () => {
  it('reads each advisory once, by its GHSA id', () => {
    expect(advisoriesOf(report).map((a) => [a.id, a.severity])).toEqual([
      ['GHSA-2345-6789-cfgh', 'high'],
      ['GHSA-jmpq-rvwx-2345', 'moderate'],
    ]);
    expect(() => advisoriesOf({ error: { summary: 'no audit endpoint' } })).toThrow(/version 2/);
  });

  it('fails on a high or critical advisory, and only on those', () => {
    const verdict = judge(report, [], '2026-12-01');
    expect(verdict.blocking.map((a) => a.id)).toEqual(['GHSA-2345-6789-cfgh']);
    expect(passes(verdict)).toBe(false);
    expect(passes(judge(clean, [], '2026-12-01'))).toBe(true);
  });

  it('lets a justified exception through until the day it expires', () => {
    expect(passes(judge(report, [exception], '2027-01-30'))).toBe(true);
    const lapsed = judge(report, [exception], '2027-01-31');
    expect(lapsed.expired).toEqual([exception]);
    expect(lapsed.blocking.map((a) => a.id)).toEqual(['GHSA-2345-6789-cfgh']);
    expect(passes(lapsed)).toBe(false);
  });

  it('fails on an exception that matches nothing any more, so the file does not outlive its reasons', () => {
    const verdict = judge(clean, [exception], '2026-12-01');
    expect(verdict.unused).toEqual([exception]);
    expect(passes(verdict)).toBe(false);
  });

  it('refuses an exception without an advisory id, a reason or a date', () => {
    expect(exceptionProblems([{ advisory: 'CVE-2026-1', reason: 'x', expires: 'soon' }])).toEqual([
      'exception 1 (CVE-2026-1): "advisory" must be a GHSA id',
      'exception 1 (CVE-2026-1): "reason" must say why, in a sentence',
      'exception 1 (CVE-2026-1): "expires" must be a date, YYYY-MM-DD',
    ]);
  });

  it("keeps the project's own exceptions file valid", () => {
    const file = JSON.parse(readFileSync(join(__dirname, '..', '..', 'audit-exceptions.json'), 'utf8'));
    expect(exceptionProblems(file)).toEqual([]);
    const today = new Date().toISOString().slice(0, 10);
    expect(file.filter((e: { expires: string }) => e.expires <= today)).toEqual([]);
  });
});
