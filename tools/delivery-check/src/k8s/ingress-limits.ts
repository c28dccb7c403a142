// the protections the gateway gives every route, as ingress-nginx gives them: the same rate limits on
// the same routes (annotations of the Ingress that serves each path), the same security headers (the
// controller's add-headers ConfigMap), and a controller configured to count the address that
// connected and to refuse with 429
import type { GatewayLimit, GatewayRoute } from './gateway-routes';
import { id, namespaceOf, ofKind, type ConfigMapObject, type IngressObject, type K8sObject } from './manifests';

const A = 'nginx.ingress.kubernetes.io/';
/** ingress-nginx's burst is the limit times this, 5 when the annotation is absent */
const DEFAULT_BURST_MULTIPLIER = 5;

/** the ConfigMap of security headers the controller adds to every response */
export const HEADERS_CONFIGMAP = 'ecom-response-headers';

export interface IngressLimit {
  readonly rate: string;
  readonly burst: number;
}

/** the limit_req an Ingress's annotations give each of its paths, or a reason it has none */
export function ingressLimitOf(ing: IngressObject): IngressLimit | string {
  const a = ing.metadata.annotations ?? {};
  const rps = a[`${A}limit-rps`];
  const rpm = a[`${A}limit-rpm`];
  if (rps !== undefined && rpm !== undefined) return 'sets both limit-rps and limit-rpm';
  const value = rps ?? rpm;
  if (value === undefined) return 'has no limit-rps or limit-rpm';
  if (!/^[1-9]\d*$/.test(value)) return `limit-${rps !== undefined ? 'rps' : 'rpm'} "${value}" is not a positive whole number`;
  const multiplier = a[`${A}limit-burst-multiplier`] ?? String(DEFAULT_BURST_MULTIPLIER);
  if (!/^[1-9]\d*$/.test(multiplier)) return `limit-burst-multiplier "${multiplier}" is not a positive whole number`;
  return { rate: `${value}r/${rps !== undefined ? 's' : 'm'}`, burst: Number(value) * Number(multiplier) };
}

const pathsOf = (ms: readonly K8sObject[]) =>
  ofKind<IngressObject>(ms, 'Ingress').flatMap((ing) =>
    (ing.spec.rules ?? []).flatMap((rule) => (rule.http?.paths ?? []).map((p) => ({ ing, path: p.path, pathType: p.pathType }))),
  );

/**
 * every gateway route that a limit_req counts has, at the ingress, a limit of the same rate and
 * burst; no Ingress exempts addresses from its limit, nor relies on the global rate limit that
 * ingress-nginx no longer has (removed in controller v1.12.0: its annotations are ignored)
 */
export const ingressLimits =
  (routes: readonly GatewayRoute[], limits: Readonly<Record<string, GatewayLimit>>) =>
  (ms: readonly K8sObject[]): string[] => {
    const out: string[] = [];
    const paths = pathsOf(ms);
    for (const r of routes) {
      if (!r.limitZone) continue;
      const limit = limits[r.limitZone];
      if (!limit) {
        out.push(`the gateway's ${r.path} names zone ${r.limitZone}, which it does not declare`);
        continue;
      }
      const kind = r.match === 'exact' ? 'Exact' : 'Prefix';
      const twice = routes.some((o) => o !== r && o.path === r.path);
      for (const p of paths.filter((x) => x.path === r.path && (!twice || x.pathType === kind))) {
        const where = `${id(p.ing)} ${r.path}`;
        const theirs = ingressLimitOf(p.ing);
        if (typeof theirs === 'string') out.push(`${where}: ${theirs}; the gateway limits it to ${limit.rate}, burst ${limit.burst}`);
        else if (theirs.rate !== limit.rate || theirs.burst !== limit.burst)
          out.push(
            `${where}: limited to ${theirs.rate}, burst ${theirs.burst}; the gateway to ${limit.rate}, burst ${limit.burst} (${limit.zone})`,
          );
      }
    }
    for (const ing of ofKind<IngressObject>(ms, 'Ingress')) {
      for (const name of Object.keys(ing.metadata.annotations ?? {})) {
        if (name.startsWith(`${A}global-rate-limit`))
          out.push(`${id(ing)}: ${name.slice(A.length)} was removed from ingress-nginx (v1.12.0) and does nothing`);
        if (name === `${A}limit-whitelist` || name === `${A}limit-allowlist`)
          out.push(`${id(ing)}: ${name.slice(A.length)} exempts addresses from the limits the gateway applies to all`);
      }
    }
    return out;
  };

/** the headers ConfigMap holds exactly the gateway's fixed security headers, value for value */
export const ingressHeaders =
  (gateway: Readonly<Record<string, string>>) =>
  (ms: readonly K8sObject[]): string[] => {
    const cm = ofKind<ConfigMapObject>(ms, 'ConfigMap').find((c) => c.metadata.name === HEADERS_CONFIGMAP);
    if (!cm) return [`no ConfigMap ${HEADERS_CONFIGMAP} with the gateway's headers`];
    const out: string[] = [];
    const data = cm.data ?? {};
    for (const [name, value] of Object.entries(gateway)) {
      const key = Object.keys(data).find((k) => k.toLowerCase() === name.toLowerCase());
      if (key === undefined) out.push(`${id(cm)}: no ${name}; the gateway sends ${name}: ${value}`);
      else if (String(data[key]) !== value) out.push(`${id(cm)}: ${name} is "${data[key]}"; the gateway's is "${value}"`);
    }
    for (const key of Object.keys(data))
      if (!Object.keys(gateway).some((n) => n.toLowerCase() === key.toLowerCase()))
        out.push(`${id(cm)}: ${key}, which the gateway does not send`);
    return out;
  };

/**
 * the controller's ConfigMap adds the headers ConfigMap of the namespace the Ingresses live in,
 * refuses with 429, believes no client's X-Forwarded-For and allows no snippets
 */
export const controllerConfig =
  (appNamespace: string) =>
  (controller: ConfigMapObject): string[] => {
    const out: string[] = [];
    const d = controller.data ?? {};
    const expected: Record<string, string> = {
      'add-headers': `${appNamespace}/${HEADERS_CONFIGMAP}`,
      'limit-req-status-code': '429',
      'use-forwarded-headers': 'false',
      'compute-full-forwarded-for': 'false',
      'enable-real-ip': 'false',
      'allow-snippet-annotations': 'false',
    };
    for (const [k, v] of Object.entries(expected))
      if (d[k] !== v)
        out.push(`${id(controller)} (${namespaceOf(controller)}): ${k} must be "${v}", is ${d[k] === undefined ? 'unset' : `"${d[k]}"`}`);
    for (const k of Object.keys(d))
      if (k.startsWith('global-rate-limit')) out.push(`${id(controller)}: ${k} was removed from ingress-nginx (v1.12.0)`);
    return out;
  };

/** a path of each limit, and the variable of rate-limits.env that holds its Retry-After */
const RETRY_AFTER_OF: Record<string, string> = {
  '/api/auth/login': 'GATEWAY_LOGIN_RETRY_AFTER',
  '/api/users': 'GATEWAY_REGISTER_RETRY_AFTER',
  '/api/products/search': 'GATEWAY_SEARCH_RETRY_AFTER',
  '/api/orders': 'GATEWAY_WRITE_RETRY_AFTER',
};

/**
 * the controller's own 429 says the Retry-After of the limit that refused: its http-snippet maps
 * $uri to $ecom_retry_after (exact paths, then default), and each path's value is rate-limits.env's
 */
export const controllerRetryAfter =
  (env: Record<string, string>) =>
  (controller: ConfigMapObject): string[] => {
    const snippet = controller.data?.['http-snippet'] ?? '';
    const map = /map \$uri \$ecom_retry_after \{([^}]*)\}/.exec(snippet);
    if (!map) return [`${id(controller)}: its http-snippet maps no $uri to $ecom_retry_after`];
    const entries = new Map([...map[1].matchAll(/^\s*(\S+)\s+(\S+);/gm)].map((m) => [m[1], m[2]]));
    const out: string[] = [];
    for (const [path, variable] of Object.entries(RETRY_AFTER_OF)) {
      const value = entries.get(path) ?? entries.get('default');
      if (value !== env[variable]) out.push(`${id(controller)}: a 429 on ${path} says Retry-After ${value ?? 'nothing'}, ${variable} is ${env[variable]}`);
    }
    if (!/error_page 429 = @ecom_too_many;/.test(controller.data?.['server-snippet'] ?? ''))
      out.push(`${id(controller)}: its server-snippet does not send the controller's 429 to @ecom_too_many`);
    return out;
  };
