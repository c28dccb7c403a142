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
  /** the limit_req zone that counts it: the location's own, or else the server's */
  readonly limitZone?: string;
}

interface Location {
  readonly modifier: string;
  readonly path: string;
  readonly body: string;
  /** where the location starts and ends in the config */
  readonly start: number;
  readonly end: number;
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
      out.push({ modifier, path, body: conf.slice(open + 1, j - 1), start: i, end: j });
      i = j;
    } else {
      i++;
    }
  }
  return out;
}

/** the config without its comments, so a commented-out directive is not read as one */
const uncommented = (conf: string) => conf.replace(/(^|[\s;{}])#[^\n]*/g, '$1');

const limitZoneOf = (text: string) => text.match(/(?:^|[\s;{}])limit_req\s+zone=([A-Za-z0-9_]+)/)?.[1];

/** the /api/ routes of a gateway config; throws on a route it cannot read */
export function parseGatewayRoutes(conf: string): GatewayRoute[] {
  const all = locations(conf);
  // the server's own limit_req, outside every location: the locations without one inherit it
  let outside = '';
  let at = 0;
  for (const l of all) {
    outside += conf.slice(at, l.start);
    at = l.end;
  }
  outside += conf.slice(at);
  const serverZone = limitZoneOf(uncommented(outside));
  return (
    all
      // includes, not startsWith: a regex location (~ ^/api/...) must be refused below, not skipped
      .filter((l) => l.path.includes('/api/'))
      .map((l) => {
        if (l.modifier !== '' && l.modifier !== '=')
          throw new Error(`location ${l.modifier} ${l.path}: only exact (=) and prefix routes are understood`);
        const pass = l.body.match(/proxy_pass\s+https?:\/\/([A-Za-z0-9_]+)(\/[^;\s]*)?\s*;/);
        if (!pass) throw new Error(`location ${l.path}: no proxy_pass to an upstream`);
        const limitZone = limitZoneOf(uncommented(l.body)) ?? serverZone;
        return {
          path: l.path,
          match: l.modifier === '=' ? 'exact' : 'prefix',
          upstream: pass[1],
          service: pass[1].replace(/_/g, '-'),
          ...(pass[2] ? { rewriteTo: pass[2] } : {}),
          unbuffered: /(^|[\s;])proxy_buffering\s+off\s*;/.test(l.body),
          ...(limitZone ? { limitZone } : {}),
        } satisfies GatewayRoute;
      })
  );
}

export function gatewayRoutes(): GatewayRoute[] {
  return parseGatewayRoutes(readFileSync(join(ROOT, GATEWAY_TEMPLATE), 'utf8'));
}

export interface GatewayLimit {
  /** e.g. gateway_login */
  readonly zone: string;
  /** the nginx variable it counts by, e.g. $binary_remote_addr */
  readonly key: string;
  /** as nginx writes it: N r/s or N r/m */
  readonly rate: string;
  /** the requests allowed at once on top of the rate */
  readonly burst: number;
}

/**
 * the rate limits of a gateway config, by zone: each limit_req_zone with the burst its limit_req
 * gives it (one burst per zone, or it throws). ${VARIABLES} take their values from `values`.
 */
export function parseGatewayLimits(template: string, values: Readonly<Record<string, string>>): Record<string, GatewayLimit> {
  const conf = uncommented(template).replace(/\$\{([A-Z_]+)\}/g, (m, name: string) => values[name] ?? m);
  const known = (what: string, value: string) => {
    const unknown = value.match(/\$\{([A-Z_]+)\}/);
    if (unknown) throw new Error(`${what}: no value for \${${unknown[1]}}`);
    return value;
  };
  const bursts = new Map<string, number>();
  for (const m of conf.matchAll(/(?:^|[\s;{}])limit_req\s+zone=([A-Za-z0-9_]+)(?:\s+burst=([^\s;]+))?/g)) {
    const burst = Number(known(`zone ${m[1]}`, m[2] ?? '0'));
    if (bursts.has(m[1]) && bursts.get(m[1]) !== burst) throw new Error(`zone ${m[1]}: two bursts, ${bursts.get(m[1])} and ${burst}`);
    bursts.set(m[1], burst);
  }
  const out: Record<string, GatewayLimit> = {};
  for (const m of conf.matchAll(/(?:^|[\s;{}])limit_req_zone\s+(\S+)\s+zone=([A-Za-z0-9_]+):\S+\s+rate=([^\s;]+)\s*;/g)) {
    const rate = known(`zone ${m[2]}`, m[3]);
    if (!/^\d+r\/[sm]$/.test(rate)) throw new Error(`zone ${m[2]}: rate ${rate} is not N r/s or N r/m`);
    const burst = bursts.get(m[2]);
    if (burst === undefined) throw new Error(`zone ${m[2]}: no limit_req uses it`);
    out[m[2]] = { zone: m[2], key: m[1], rate, burst };
  }
  for (const zone of bursts.keys()) if (!out[zone]) throw new Error(`limit_req zone=${zone}: no limit_req_zone declares it`);
  return out;
}

/** production's rate limits (deploy/gateway/rate-limits.env), NAME=value lines and # comments */
export const RATE_LIMITS = 'deploy/gateway/rate-limits.env';

export function readEnvFile(text: string): Record<string, string> {
  const lines = text.split('\n').map((l) => l.match(/^([A-Z][A-Z0-9_]*)=(.*)$/));
  return Object.fromEntries(lines.flatMap((m) => (m ? [[m[1], m[2].trim()]] : [])));
}

/** the gateway's limits with production's numbers */
export function gatewayLimits(): Record<string, GatewayLimit> {
  return parseGatewayLimits(readFileSync(join(ROOT, GATEWAY_TEMPLATE), 'utf8'), readEnvFile(readFileSync(join(ROOT, RATE_LIMITS), 'utf8')));
}

/** the headers the gateway adds to every answer with a fixed value: its server-wide add_header lines */
export function gatewayFixedHeaders(template: string): Record<string, string> {
  const all = locations(template);
  let outside = '';
  let at = 0;
  for (const l of all) {
    outside += template.slice(at, l.start);
    at = l.end;
  }
  outside += template.slice(at);
  const out: Record<string, string> = {};
  for (const m of uncommented(outside).matchAll(
    /(?:^|[\s;{}])add_header\s+([A-Za-z0-9-]+)\s+("[^"]*"|'[^']*'|[^\s;]+)(?:\s+always)?\s*;/g,
  )) {
    const value = /^["']/.test(m[2]) ? m[2].slice(1, -1) : m[2];
    // a value from a variable depends on the request ($gateway_cache_control, ...): not a fixed header
    if (!value.includes('$')) out[m[1]] = value;
  }
  return out;
}
