// the Ingresses route what the local gateway routes (deploy/gateway/gateway.conf.template): the same
// /api paths to the same services, with the same rewrites and unbuffered streams
import { copy, named, OVERLAYS, overlayDir, rendered, type IngressObject, type K8sObject } from './manifests';
import { gatewayRoutes, parseGatewayRoutes } from './gateway-routes';
import { ingressRoutes } from './policies';
import { LISTED_SERVICES } from '../support/service-list';

const routes = gatewayRoutes();

describe('the gateway template', () => {
  it('yields its /api routes: the resources and readiness of each service of deploy/services.json, the event stream', () => {
    const byPath = Object.fromEntries(routes.filter((r) => r.match === 'prefix').map((r) => [r.path, r]));
    for (const { name, routes: prefixes, health } of LISTED_SERVICES) {
      for (const prefix of prefixes) expect(byPath[prefix]).toMatchObject({ match: 'prefix', service: name, unbuffered: false });
      expect(routes.find((r) => r.path === health)).toMatchObject({ match: 'exact', service: name, rewriteTo: '/health/ready' });
    }
    expect(byPath['/api/auth']).toMatchObject({ match: 'prefix', service: 'user-service' });
    expect(routes.find((r) => r.path === '/api/users/health')).toMatchObject({ upstream: 'user_service', service: 'user-service' });
    expect(byPath['/api/notifications/stream']).toMatchObject({ match: 'prefix', service: 'notification-service', unbuffered: true });
    // the rate-limited routes, exact matches next to the prefixes they win over
    expect(routes.filter((r) => r.match === 'exact' && !r.rewriteTo).map((r) => [r.path, r.service])).toEqual([
      ['/api/auth/login', 'user-service'],
      ['/api/users', 'user-service'],
      ['/api/products/search', 'product-service'],
    ]);
    // the services' own routes, and the four special ones: login, registration, search, the stream
    expect(routes).toHaveLength(LISTED_SERVICES.reduce((n, s) => n + s.routes.length + 1, 0) + 4);
  });

  it('is read by a parser that skips comments, quoted braces and ${VARIABLES}, and refuses what it cannot read (negative)', () => {
    const conf = `
      # location /api/commented { proxy_pass http://nope; }
      upstream a_service { server \${HOST}:\${PORT}; }
      server {
        listen \${GATEWAY_PORT};
        location @down { return 503 '{"detail":"}"}'; }
        location = /api/a/health { proxy_pass http://a_service/health/ready; }
        location /api/a {
          proxy_pass http://a_service;   # a comment with a } brace
          proxy_buffering off;
        }
      }`;
    expect(parseGatewayRoutes(conf)).toEqual([
      { path: '/api/a/health', match: 'exact', upstream: 'a_service', service: 'a-service', rewriteTo: '/health/ready', unbuffered: false },
      { path: '/api/a', match: 'prefix', upstream: 'a_service', service: 'a-service', unbuffered: true },
    ]);
    expect(() => parseGatewayRoutes('location ~ ^/api/x { proxy_pass http://x; }')).toThrow(/only exact/);
    expect(() => parseGatewayRoutes('location /api/x { return 200; }')).toThrow(/no proxy_pass/);
  });
});

describe.each(OVERLAYS)('overlays/%s', (overlay) => {
  it('has an Ingress route for every gateway route and no other', () => {
    expect(ingressRoutes(routes)(rendered(overlayDir(overlay)).manifests)).toEqual([]);
  });
});

describe('the ingress rule reports (negative)', () => {
  const prod = rendered(overlayDir('prod')).manifests;
  const broken = (change: (ms: K8sObject[]) => void) => {
    const ms = copy(prod) as K8sObject[];
    change(ms);
    return ingressRoutes(routes)(ms);
  };
  const ingress = (ms: K8sObject[], name: string) => {
    const found = named<IngressObject>(ms, 'Ingress', name);
    if (!found) throw new Error(`no Ingress ${name}`);
    return found;
  };
  const paths = (ing: IngressObject) => ing.spec.rules?.[0].http?.paths ?? [];

  it('a missing route and an extra one', () => {
    const found = broken((ms) => {
      const api = ingress(ms, 'ecom-api');
      const list = paths(api);
      list.splice(
        list.findIndex((p) => p.path === '/api/orders'),
        1,
      );
      list.push({ path: '/api/admin', pathType: 'Prefix', backend: { service: { name: 'user-service', port: { number: 3001 } } } });
    });
    expect(found).toEqual([
      'no Ingress routes /api/orders (order-service)',
      'Ingress/ecom-api routes /api/admin, which the gateway does not',
    ]);
  });

  it('the wrong service, port, kind of match, rewrite, buffering and class', () => {
    const found = broken((ms) => {
      const api = ingress(ms, 'ecom-api');
      const products = paths(api).find((p) => p.path === '/api/products');
      if (products?.backend.service) products.backend.service = { name: 'order-service', port: { number: 3003 } };
      const users = paths(api).find((p) => p.path === '/api/users');
      if (users?.backend.service) users.backend.service.port = { number: 80 };
      const health = ingress(ms, 'ecom-health');
      const orderHealth = paths(health).find((p) => p.path === '/api/orders/health');
      if (orderHealth) orderHealth.pathType = 'Prefix';
      delete health.metadata.annotations?.['nginx.ingress.kubernetes.io/rewrite-target'];
      const stream = ingress(ms, 'ecom-stream');
      delete stream.metadata.annotations?.['nginx.ingress.kubernetes.io/proxy-buffering'];
      stream.spec.ingressClassName = 'traefik';
    });
    expect(found).toEqual(
      expect.arrayContaining([
        'Ingress/ecom-api /api/products: goes to order-service, the gateway to product-service',
        'Ingress/ecom-api /api/users: Service user-service has no port 80',
        "Ingress/ecom-health /api/orders/health: pathType must be Exact, like the gateway's location",
        'Ingress/ecom-health /api/users/health: rewrites to nothing, the gateway to /health/ready',
        "Ingress/ecom-stream /api/notifications/stream: proxy buffering on, the gateway's off",
        'Ingress/ecom-stream: ingressClassName must be nginx',
      ]),
    );
  });

  it('a route to the management port, by number or by name', () => {
    const found = broken((ms) => {
      const api = ingress(ms, 'ecom-api');
      const users = paths(api).find((p) => p.path === '/api/users');
      if (users?.backend.service) users.backend.service.port = { number: 9001 };
      const orders = paths(api).find((p) => p.path === '/api/orders');
      if (orders?.backend.service) orders.backend.service.port = { name: 'management' };
    });
    expect(found).toEqual(
      expect.arrayContaining([
        'Ingress/ecom-api /api/users: routes to the management port of user-service (metrics, docs), which is not for clients',
        'Ingress/ecom-api /api/orders: routes to the management port of order-service (metrics, docs), which is not for clients',
      ]),
    );
    expect(new Set(found.filter((line) => line.includes('management port'))).size).toBe(2);
  });
});
