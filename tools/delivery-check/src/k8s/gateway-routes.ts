// the api routes of the local gateway (deploy/gateway/gateway.conf.template), which the ingress must match
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../support/tools';

export const GATEWAY_TEMPLATE = 'deploy/gateway/gateway.conf.template';

export interface GatewayRoute {
  /** e.g. /api/users/health */
  readonly path: string;
  /** `location = /x` is exact, `location /x` a prefix */
  readonly match: 'exact' | 'prefix';
  /** the nginx upstream, e.g. user_service */
  readonly upstream: string;
  /** the kubernetes Service it stands for, e.g. user-service */
  readonly service: string;
  /** the path proxy_pass sends instead of the request's, e.g. /health/ready */
  readonly rewriteTo?: string;
  /** proxy_buffering off (server-sent events) */
  readonly unbuffered: boolean;
}

interface Location {
  readonly modifier: string;
  readonly path: string;
  readonly body: string;
}

/**
 * the location blocks of an nginx config: a small scanner that skips comments and quoted strings, so
 * the braces inside the json error bodies or ${TEMPLATE} variables don't end a block early
 */
function locations(conf: string): Location[] {
  const out: Location[] = [];
  let i = 0;
  const skipQuoted = (at: number) => {
    const quote = conf[at];
    let j = at + 1;
    while (j < conf.length && conf[j] !== quote) j += conf[j] === '\\' ? 2 : 1;
    return j + 1;
  };
  while (i < conf.length) {
    const ch = conf[i];
    if (ch === '#') {
      const nl = conf.indexOf('\n', i);
      i = nl === -1 ? conf.length : nl + 1;
    } else if (ch === '"' || ch === "'") {
      i = skipQuoted(i);
    } else if (conf.startsWith('location', i) && /[\s;{}]/.test(conf[i - 1] ?? ' ') && /\s/.test(conf[i + 8] ?? '')) {
      const open = conf.indexOf('{', i);
      if (open === -1) break;
      const head = conf
        .slice(i + 8, open)
        .trim()
        .split(/\s+/);
      const path = head.pop() ?? '';
      const modifier = head.join(' ');
      let depth = 1;
      let j = open + 1;
      while (j < conf.length && depth > 0) {
        const c = conf[j];
        if (c === '"' || c === "'") {
          j = skipQuoted(j);
          continue;
        }
        if (c === '#') {
          const nl = conf.indexOf('\n', j);
          j = nl === -1 ? conf.length : nl + 1;
          continue;
        }
        if (c === '{') depth++;
        if (c === '}') depth--;
        j++;
      }
      out.push({ modifier, path, body: conf.slice(open + 1, j - 1) });
      i = j;
    } else {
      i++;
    }
  }
  return out;
}

/** the /api/ routes of a gateway config; throws on a route it cannot read */
export function parseGatewayRoutes(conf: string): GatewayRoute[] {
  return (
    locations(conf)
      // includes, not startsWith: a regex location (~ ^/api/...) must be refused below, not skipped
      .filter((l) => l.path.includes('/api/'))
      .map((l) => {
        if (l.modifier !== '' && l.modifier !== '=')
          throw new Error(`location ${l.modifier} ${l.path}: only exact (=) and prefix routes are understood`);
        const pass = l.body.match(/proxy_pass\s+https?:\/\/([A-Za-z0-9_]+)(\/[^;\s]*)?\s*;/);
        if (!pass) throw new Error(`location ${l.path}: no proxy_pass to an upstream`);
        return {
          path: l.path,
          match: l.modifier === '=' ? 'exact' : 'prefix',
          upstream: pass[1],
          service: pass[1].replace(/_/g, '-'),
          ...(pass[2] ? { rewriteTo: pass[2] } : {}),
          unbuffered: /(^|[\s;])proxy_buffering\s+off\s*;/.test(l.body),
        } satisfies GatewayRoute;
      })
  );
}

export function gatewayRoutes(): GatewayRoute[] {
  return parseGatewayRoutes(readFileSync(join(ROOT, GATEWAY_TEMPLATE), 'utf8'));
}
