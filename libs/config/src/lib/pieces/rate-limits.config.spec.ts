import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { configProblems, loadConfig } from '../define-config';
import { parseRateLimit, rateLimitsConfig } from './rate-limits.config';

const ROOT = join(__dirname, '../../../../..');
const load = (env: Record<string, string>) => loadConfig([rateLimitsConfig()], env).rateLimits;

/** RATE_LIMIT_* of a deploy/gateway env file */
function fileLimits(file: string): Record<string, string> {
  const lines = readFileSync(join(ROOT, 'deploy/gateway', file), 'utf8').split('\n');
  return Object.fromEntries(
    lines.flatMap((l) => {
      const m = /^(RATE_LIMIT_[A-Z_]+)=(\S+)$/.exec(l.trim());
      return m ? [[m[1], m[2]]] : [];
    }),
  );
}

describe('rateLimitsConfig', () => {
  it('reads N/period with s, m or h, and a period of 1 when the number is left out', () => {
    expect(parseRateLimit('20/10m')).toEqual({ limit: 20, windowMs: 600_000 });
    expect(parseRateLimit('5/s')).toEqual({ limit: 5, windowMs: 1000 });
    expect(parseRateLimit(' 3/2h ')).toEqual({ limit: 3, windowMs: 7_200_000 });
  });

  it('refuses what is not a limit: no unit, nothing allowed, a period of nothing or over a day', () => {
    for (const bad of ['20', '20/10', '0/1m', '5/0s', '5/25h', 'ten/1m', '-1/1m', '5/1d'])
      expect([bad, parseRateLimit(bad)]).toEqual([bad, undefined]);
    expect(configProblems([rateLimitsConfig()], { RATE_LIMIT_WRITE: '100' })).toEqual([
      'RATE_LIMIT_WRITE: must be N/period, e.g. 20/10m: N of at least 1, a period from 1s to 24h (got "100")',
    ]);
  });

  it("defaults to production's numbers, the ones deploy/gateway/rate-limits.env documents", () => {
    const documented = fileLimits('rate-limits.env');
    expect(Object.keys(documented).sort()).toEqual(['RATE_LIMIT_REGISTER', 'RATE_LIMIT_SEARCH', 'RATE_LIMIT_WRITE']);
    expect(load({})).toEqual(load(documented));
    expect(load({})).toEqual({
      register: { limit: 20, windowMs: 600_000 },
      search: { limit: 600, windowMs: 60_000 },
      write: { limit: 120, windowMs: 60_000 },
    });
  });

  it('gives the local stack limits of its own, each far above production', () => {
    const local = load(fileLimits('rate-limits.local.env'));
    const prod = load({});
    for (const name of ['register', 'search', 'write'] as const)
      expect([name, local[name].limit / local[name].windowMs > (10 * prod[name].limit) / prod[name].windowMs]).toEqual([name, true]);
  });
});
