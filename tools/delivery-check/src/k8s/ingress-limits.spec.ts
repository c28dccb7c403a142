// the ingress protects each route as the gateway does (deploy/gateway/gateway.conf.template with
// production's numbers, deploy/gateway/rate-limits.env): the same rate limits, the same security
// headers, and a controller set up for both (deploy/k8s/ingress-controller)
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ROOT, tool } from '../support/tools';
import {
  GATEWAY_TEMPLATE,
  gatewayFixedHeaders,
  gatewayLimits,
  gatewayRoutes,
  parseGatewayLimits,
  parseGatewayRoutes,
  RATE_LIMITS,
  readEnvFile,
} from './gateway-routes';
import { controllerConfig, controllerRetryAfter, ingressHeaders, ingressLimitOf, ingressLimits } from './ingress-limits';
import {
  copy,
  KUBERNETES_VERSION,
  named,
  OVERLAYS,
  overlayDir,
  rendered,
  type ConfigMapObject,
  type IngressObject,
  type K8sObject,
} from './manifests';

const template = readFileSync(join(ROOT, GATEWAY_TEMPLATE), 'utf8');
const routes = gatewayRoutes();
const limits = gatewayLimits();
const headers = gatewayFixedHeaders(template);
const CONTROLLER = 'deploy/k8s/ingress-controller/controller-config.yaml';
const controllerText = readFileSync(join(ROOT, CONTROLLER), 'utf8');
const controller = parse(controllerText) as ConfigMapObject;
const productionEnv = readEnvFile(readFileSync(join(ROOT, RATE_LIMITS), 'utf8'));

describe('the gateway, as delivery-check reads it', () => {
  it('limits login, registration and search with zones of their own, and every other route with the write limit', () => {
    const zoneOf = (path: string, match: 'exact' | 'prefix') => routes.find((r) => r.path === path && r.match === match)?.limitZone;
    expect(zoneOf('/api/auth/login', 'exact')).toBe('gateway_login');
    expect(zoneOf('/api/users', 'exact')).toBe('gateway_register');
    expect(zoneOf('/api/products/search', 'exact')).toBe('gateway_search');
    for (const r of routes.filter(
      (x) => !['/api/auth/login', '/api/products/search'].includes(x.path) && !(x.path === '/api/users' && x.match === 'exact'),
    ))
      expect([r.path, r.limitZone]).toEqual([r.path, 'gateway_writes']);
  });

  it("has production's numbers, counted per connecting address (writes and logins by method)", () => {
    expect(limits).toEqual({
      gateway_login: { zone: 'gateway_login', key: '$gateway_post_key', rate: '10r/m', burst: 10 },
      gateway_register: { zone: 'gateway_register', key: '$gateway_post_key', rate: '5r/m', burst: 5 },
      gateway_writes: { zone: 'gateway_writes', key: '$gateway_write_key', rate: '10r/s', burst: 20 },
      gateway_search: { zone: 'gateway_search', key: '$binary_remote_addr', rate: '20r/s', burst: 40 },
    });
    // the method maps count by the connecting address, never a header
    for (const key of ['gateway_post_key', 'gateway_write_key']) {
      const map = template.match(new RegExp(`map \\$request_method \\$${key} \\{([^}]*)\\}`));
      expect([key, map?.[1]]).toEqual([key, expect.stringContaining('$binary_remote_addr')]);
      expect(map?.[1]).not.toMatch(/\$http_/);
    }
  });

  it('sends the four security headers on every answer', () => {
    expect(headers).toEqual({
      'X-Content-Type-Options': 'nosniff',
      'X-Frame-Options': 'DENY',
      'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'",
      'Referrer-Policy': 'no-referrer',
    });
  });

  it('is read by parsers that take a location limit over the server one, refuse an unknown zone, and skip comments (negative)', () => {
    const conf = `
      limit_req_zone $binary_remote_addr zone=a:1m rate=\${A_RATE};
      limit_req_zone $binary_remote_addr zone=b:1m rate=2r/m;
      server {
        limit_req zone=a burst=\${A_BURST} nodelay;
        # limit_req zone=nowhere burst=1;
        location = /api/x { limit_req zone=b burst=3; proxy_pass http://x_service; }
        location /api/x { proxy_pass http://x_service; }
      }`;
    expect(parseGatewayRoutes(conf).map((r) => [r.path, r.match, r.limitZone])).toEqual([
      ['/api/x', 'exact', 'b'],
      ['/api/x', 'prefix', 'a'],
    ]);
    expect(parseGatewayLimits(conf, { A_RATE: '5r/s', A_BURST: '7' })).toEqual({
      a: { zone: 'a', key: '$binary_remote_addr', rate: '5r/s', burst: 7 },
      b: { zone: 'b', key: '$binary_remote_addr', rate: '2r/m', burst: 3 },
    });
    expect(() => parseGatewayLimits(conf, { A_RATE: '5r/s' })).toThrow(/zone a: no value for \$\{A_BURST\}/);
    expect(() => parseGatewayLimits('server { limit_req zone=z burst=1; }', {})).toThrow(/no limit_req_zone declares it/);
    expect(gatewayFixedHeaders(`add_header A "x y" always; add_header B $v always; location / { add_header C z; }`)).toEqual({ A: 'x y' });
  });
});

describe.each(OVERLAYS)('overlays/%s', (overlay) => {
  const { manifests } = rendered(overlayDir(overlay));

  it('limits every route the gateway limits, at the same rate and burst', () => {
    expect(ingressLimits(routes, limits)(manifests)).toEqual([]);
  });

  it("holds the gateway's security headers for the controller to add", () => {
    expect(ingressHeaders(headers)(manifests)).toEqual([]);
  });

  it("is what the controller's add-headers names", () => {
    const namespaces = new Set(manifests.filter((m) => m.kind === 'Ingress').map((m) => m.metadata.namespace));
    expect(namespaces.size).toBe(1);
    expect(controllerConfig([...namespaces][0] ?? 'default')(controller)).toEqual([]);
  });
});

describe('the controller settings', () => {
  it(`pass the kubernetes ${KUBERNETES_VERSION} schemas in strict mode`, () => {
    const r = tool('kubernetes-validate', ['-k', KUBERNETES_VERSION, '--strict', '--quiet', '-'], { input: controllerText });
    expect(`${r.stdout}${r.stderr}`.trim()).toBe('');
    expect(r.code).toBe(0);
  });

  it("answer a rate limit's 429 with the Retry-After of that limit in rate-limits.env", () => {
    expect(controllerRetryAfter(productionEnv)(controller)).toEqual([]);
  });

  it('are the controller ConfigMap of a default ingress-nginx install', () => {
    expect(controller).toMatchObject({ kind: 'ConfigMap', metadata: { name: 'ingress-nginx-controller', namespace: 'ingress-nginx' } });
  });
});

describe('the ingress protection reports (negative)', () => {
  const prod = rendered(overlayDir('prod')).manifests;
  const broken = (change: (ms: K8sObject[]) => void) => {
    const ms = copy(prod) as K8sObject[];
    change(ms);
    return ms;
  };
  const annotations = (ms: K8sObject[], name: string) => {
    const ing = named<IngressObject>(ms, 'Ingress', name);
    if (!ing?.metadata.annotations) throw new Error(`no annotated Ingress ${name}`);
    return ing.metadata.annotations;
  };

  it('reads ingress-nginx limits: rps or rpm, times the multiplier, 5 when absent', () => {
    const ing = (a: Record<string, string>) => ({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: 'x', annotations: a },
      spec: {},
    });
    expect(ingressLimitOf(ing({ [`nginx.ingress.kubernetes.io/limit-rpm`]: '10' }))).toEqual({ rate: '10r/m', burst: 50 });
    expect(
      ingressLimitOf(ing({ [`nginx.ingress.kubernetes.io/limit-rps`]: '3', [`nginx.ingress.kubernetes.io/limit-burst-multiplier`]: '2' })),
    ).toEqual({
      rate: '3r/s',
      burst: 6,
    });
    expect(ingressLimitOf(ing({}))).toBe('has no limit-rps or limit-rpm');
    expect(ingressLimitOf(ing({ [`nginx.ingress.kubernetes.io/limit-rps`]: '1', [`nginx.ingress.kubernetes.io/limit-rpm`]: '1' }))).toBe(
      'sets both limit-rps and limit-rpm',
    );
  });

  it('a missing limit, another rate, another burst, a global rate limit and an exempt address', () => {
    const ms = broken((m) => {
      delete annotations(m, 'ecom-login')['nginx.ingress.kubernetes.io/limit-rpm'];
      annotations(m, 'ecom-register')['nginx.ingress.kubernetes.io/limit-rpm'] = '50';
      delete annotations(m, 'ecom-search')['nginx.ingress.kubernetes.io/limit-burst-multiplier'];
      annotations(m, 'ecom-api')['nginx.ingress.kubernetes.io/global-rate-limit'] = '100';
      annotations(m, 'ecom-stream')['nginx.ingress.kubernetes.io/limit-whitelist'] = '10.0.0.0/8';
    });
    expect(ingressLimits(routes, limits)(ms)).toEqual([
      'Ingress/ecom-login /api/auth/login: has no limit-rps or limit-rpm; the gateway limits it to 10r/m, burst 10',
      'Ingress/ecom-register /api/users: limited to 50r/m, burst 50; the gateway to 5r/m, burst 5 (gateway_register)',
      'Ingress/ecom-search /api/products/search: limited to 20r/s, burst 100; the gateway to 20r/s, burst 40 (gateway_search)',
      'Ingress/ecom-api: global-rate-limit was removed from ingress-nginx (v1.12.0) and does nothing',
      'Ingress/ecom-stream: limit-whitelist exempts addresses from the limits the gateway applies to all',
    ]);
  });

  it('registration folded into the resource routes: the prefix limit is not the registration limit', () => {
    const ms = broken((m) => {
      const register = named<IngressObject>(m, 'Ingress', 'ecom-register');
      const api = named<IngressObject>(m, 'Ingress', 'ecom-api');
      const path = register?.spec.rules?.[0].http?.paths[0];
      if (!path || !api?.spec.rules?.[0].http) throw new Error('unexpected prod overlay');
      api.spec.rules[0].http.paths.push(path);
      m.splice(m.indexOf(register as K8sObject), 1);
    });
    expect(ingressLimits(routes, limits)(ms)).toEqual([
      'Ingress/ecom-api /api/users: limited to 10r/s, burst 20; the gateway to 5r/m, burst 5 (gateway_register)',
    ]);
  });

  it('a header missing, changed or extra, and no headers ConfigMap at all', () => {
    const ms = broken((m) => {
      const cm = named<ConfigMapObject>(m, 'ConfigMap', 'ecom-response-headers');
      if (!cm?.data) throw new Error('no ecom-response-headers');
      delete cm.data['Referrer-Policy'];
      cm.data['X-Frame-Options'] = 'SAMEORIGIN';
      cm.data['X-Powered-By'] = 'ecom';
    });
    expect(ingressHeaders(headers)(ms)).toEqual([
      'ConfigMap/ecom-response-headers: X-Frame-Options is "SAMEORIGIN"; the gateway\'s is "DENY"',
      'ConfigMap/ecom-response-headers: no Referrer-Policy; the gateway sends Referrer-Policy: no-referrer',
      'ConfigMap/ecom-response-headers: X-Powered-By, which the gateway does not send',
    ]);
    expect(ingressHeaders(headers)(prod.filter((m) => m.metadata.name !== 'ecom-response-headers'))).toEqual([
      "no ConfigMap ecom-response-headers with the gateway's headers",
    ]);
  });

  it("a controller whose 429 says another limit's Retry-After, or keeps nginx's own page", () => {
    const c = copy(controller);
    c.data = { ...c.data, 'http-snippet': c.data!['http-snippet'].replace('/api/users 12;', '/api/users 1;') };
    expect(controllerRetryAfter(productionEnv)(c)).toEqual(['ConfigMap/ingress-nginx-controller: a 429 on /api/users says Retry-After 1, GATEWAY_REGISTER_RETRY_AFTER is 12']);
    const noErrorPage = copy(controller);
    noErrorPage.data = { ...noErrorPage.data, 'server-snippet': '' };
    expect(controllerRetryAfter(productionEnv)(noErrorPage)).toEqual([
      "ConfigMap/ingress-nginx-controller: its server-snippet does not send the controller's 429 to @ecom_too_many",
    ]);
    delete noErrorPage.data['http-snippet'];
    expect(controllerRetryAfter(productionEnv)(noErrorPage)).toEqual([
      'ConfigMap/ingress-nginx-controller: its http-snippet maps no $uri to $ecom_retry_after',
    ]);
    expect(controllerRetryAfter({ ...productionEnv, GATEWAY_SEARCH_RETRY_AFTER: '2' })(controller)).toEqual([
      'ConfigMap/ingress-nginx-controller: a 429 on /api/products/search says Retry-After 1, GATEWAY_SEARCH_RETRY_AFTER is 2',
    ]);
  });

  it('a controller that believes X-Forwarded-For, answers 503, adds no headers and keeps a removed setting', () => {
    const c = copy(controller);
    c.data = {
      ...c.data,
      'use-forwarded-headers': 'true',
      'limit-req-status-code': '503',
      'global-rate-limit-memcached-host': 'memcached',
    };
    delete c.data['add-headers'];
    expect(controllerConfig('ecom')(c)).toEqual([
      'ConfigMap/ingress-nginx-controller (ingress-nginx): add-headers must be "ecom/ecom-response-headers", is unset',
      'ConfigMap/ingress-nginx-controller (ingress-nginx): limit-req-status-code must be "429", is "503"',
      'ConfigMap/ingress-nginx-controller (ingress-nginx): use-forwarded-headers must be "false", is "true"',
      'ConfigMap/ingress-nginx-controller: global-rate-limit-memcached-host was removed from ingress-nginx (v1.12.0)',
    ]);
  });
});
