// what `npm run audit` enforces on the report of `npm audit --omit=dev --json` (report version 2):
// no high or critical advisory in what the services ship, unless an exception names it, says why,
// and has not expired. an exception that matches nothing any more, or that has expired, fails too,
// so the file never outlives its reasons.

export const BLOCKING = ['high', 'critical'] as const;

export interface AuditException {
  /** the advisory's id, e.g. GHSA-xxxx-xxxx-xxxx */
  readonly advisory: string;
  /** why it does not apply to us, or what we do instead; someone reviewing it must be able to check it */
  readonly reason: string;
  /** YYYY-MM-DD: from that day on the exception no longer holds */
  readonly expires: string;
}

export interface Advisory {
  readonly id: string;
  readonly package: string;
  readonly severity: string;
  readonly title: string;
  readonly url: string;
}

export interface AuditVerdict {
  readonly blocking: Advisory[];
  readonly excepted: Advisory[];
  readonly expired: AuditException[];
  readonly unused: AuditException[];
  readonly problems: string[];
}

interface ViaAdvisory {
  readonly name?: string;
  readonly title?: string;
  readonly url?: string;
  readonly severity?: string;
}

interface AuditReport {
  readonly auditReportVersion?: number;
  readonly vulnerabilities?: Record<string, { readonly via?: readonly (string | ViaAdvisory)[] }>;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const ADVISORY_ID = /^GHSA(-[23456789cfghjmpqrvwx]{4}){3}$/;

/** every advisory in the report once, named by the GHSA id at the end of its url */
export function advisoriesOf(report: unknown): Advisory[] {
  const r = report as AuditReport;
  if (r?.auditReportVersion !== 2 || typeof r.vulnerabilities !== 'object') {
    throw new Error('not an `npm audit --json` report of version 2 (npm 7 or later)');
  }
  const byId = new Map<string, Advisory>();
  for (const vulnerability of Object.values(r.vulnerabilities)) {
    for (const via of vulnerability.via ?? []) {
      if (typeof via === 'string' || !via.url) continue; // a string names the dependency that brings it
      const id = via.url.split('/').pop() ?? via.url;
      byId.set(id, { id, package: via.name ?? '?', severity: via.severity ?? 'unknown', title: via.title ?? '', url: via.url });
    }
  }
  return [...byId.values()];
}

/** the exceptions file's own mistakes; an empty list means it can be applied */
export function exceptionProblems(exceptions: unknown): string[] {
  if (!Array.isArray(exceptions)) return ['the exceptions file must hold a JSON array'];
  return exceptions.flatMap((e: Partial<AuditException>, i) => {
    const at = `exception ${i + 1}${e?.advisory ? ` (${e.advisory})` : ''}`;
    const problems: string[] = [];
    if (typeof e?.advisory !== 'string' || !ADVISORY_ID.test(e.advisory)) problems.push(`${at}: "advisory" must be a GHSA id`);
    if (typeof e?.reason !== 'string' || e.reason.trim().length < 20) problems.push(`${at}: "reason" must say why, in a sentence`);
    if (typeof e?.expires !== 'string' || !DAY.test(e.expires) || Number.isNaN(Date.parse(e.expires))) {
      problems.push(`${at}: "expires" must be a date, YYYY-MM-DD`);
    }
    return problems;
  });
}

export function judge(report: unknown, exceptions: readonly AuditException[], today: string): AuditVerdict {
  const problems = exceptionProblems(exceptions);
  const expired = exceptions.filter((e) => e.expires <= today);
  const valid = new Map(exceptions.filter((e) => e.expires > today).map((e) => [e.advisory, e]));
  const advisories = advisoriesOf(report).filter((a) => (BLOCKING as readonly string[]).includes(a.severity));
  const excepted = advisories.filter((a) => valid.has(a.id));
  const blocking = advisories.filter((a) => !valid.has(a.id));
  const found = new Set(advisoriesOf(report).map((a) => a.id));
  const unused = exceptions.filter((e) => e.expires > today && !found.has(e.advisory));
  return { blocking, excepted, expired, unused, problems };
}

export const passes = (v: AuditVerdict) => v.blocking.length === 0 && v.expired.length === 0 && v.unused.length === 0 && v.problems.length === 0;
