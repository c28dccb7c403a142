// who may do what: every operation of every service's OpenAPI document, and the status each kind of
// caller gets from it. authorization-matrix.e2e-spec.ts fails when an operation of the live
// documents has no row here (a new route must say who may call it) or a row names an operation that
// no longer exists, then sends every cell to the running services.
//
// the callers: anonymous (no token); customer, the owner of the resources in the path (their
// account, order, notification); otherCustomer, a customer who owns none of them; admin.
// "another's" resources answer 404, never 403 or 200: nobody learns what others have.
import { randomUUID } from 'node:crypto';
import type { ServiceName } from './services';

export const CALLERS = ['anonymous', 'customer', 'otherCustomer', 'admin'] as const;
export type Caller = (typeof CALLERS)[number];

export interface Actor {
  readonly id: string;
  readonly email: string;
  readonly password: string;
  readonly token: string;
}

/** what the cells need: the callers, and resources the customer owns */
export interface Fixtures {
  readonly customer: Actor;
  readonly otherCustomer: Actor;
  readonly admin: Actor & { readonly name: string };
  /** a product with ample stock, made by the admin */
  readonly productId: string;
  /** an order the customer placed */
  readonly orderId: string;
  /** a notification of the customer's (the welcome) */
  readonly notificationId: string;
  /** a new customer, for cells that delete an account */
  newCustomer(): Promise<Actor>;
  /** a new product, for cells that delete one */
  newProduct(): Promise<string>;
  /** a new order of this customer's, for cells that cancel one */
  newOrder(owner: Actor): Promise<string>;
  /** a product's body, with a sku of its own */
  productBody(): object;
}

export interface CellRequest {
  /** the concrete path, parameters filled in */
  readonly path: string;
  readonly body?: unknown;
  /** who sends it; by default the column's caller (none for anonymous) */
  readonly as?: Actor;
}

export interface Row {
  /** the request a caller sends; may make what it needs first (an account to delete...) */
  readonly request: (f: Fixtures, caller: Caller) => CellRequest | Promise<CellRequest>;
  readonly expect: Readonly<Record<Caller, number>>;
}

const everyone = (status: number) => ({ anonymous: status, customer: status, otherCustomer: status, admin: status });
/** any caller with a token: the owner, another customer and the admin alike */
const signedIn = (status: number) => ({ anonymous: 401, customer: status, otherCustomer: status, admin: status });
const adminOnly = (status: number) => ({ anonymous: 401, customer: 403, otherCustomer: 403, admin: status });
/** the owner and the admin; another customer is told it does not exist */
const ownerOrAdmin = (status: number) => ({ anonymous: 401, customer: status, otherCustomer: 404, admin: status });

const health: Record<string, Row> = {
  'GET /health/live': { request: () => ({ path: '/health/live' }), expect: everyone(200) },
  'GET /health/ready': { request: () => ({ path: '/health/ready' }), expect: everyone(200) },
};

/** service -> "METHOD /path as in the document" -> row */
export const AUTHORIZATION_MATRIX: Record<ServiceName, Record<string, Row>> = {
  'user-service': {
    ...health,
    'POST /api/users': {
      request: () => ({
        path: '/api/users',
        body: { email: `matrix-${randomUUID().slice(0, 8)}@example.com`, password: 'matrix-pass-1', name: 'Matrix' },
      }),
      expect: everyone(201),
    },
    'POST /api/auth/login': {
      request: (f) => ({ path: '/api/auth/login', body: { email: f.customer.email, password: f.customer.password } }),
      expect: everyone(200),
    },
    'GET /api/users': { request: () => ({ path: '/api/users' }), expect: adminOnly(200) },
    'GET /api/users/me': { request: () => ({ path: '/api/users/me' }), expect: signedIn(200) },
    'PATCH /api/users/me': {
      // each sets the name it has: authorization is what is tested, not a rename
      request: (f, caller) => ({ path: '/api/users/me', body: { name: caller === 'admin' ? f.admin.name : 'Matrix' } }),
      expect: signedIn(200),
    },
    'GET /api/users/{id}': { request: (f) => ({ path: `/api/users/${f.customer.id}` }), expect: ownerOrAdmin(200) },
    'DELETE /api/users/{id}': {
      // an account of its own for each cell; the owner deletes themself
      request: async (f, caller) => {
        const victim = await f.newCustomer();
        return { path: `/api/users/${victim.id}`, ...(caller === 'customer' && { as: victim }) };
      },
      expect: ownerOrAdmin(204),
    },
  },
  'product-service': {
    ...health,
    'GET /api/products': { request: () => ({ path: '/api/products' }), expect: everyone(200) },
    'GET /api/products/search': { request: () => ({ path: '/api/products/search?q=matrix' }), expect: everyone(200) },
    'GET /api/products/{id}': { request: (f) => ({ path: `/api/products/${f.productId}` }), expect: everyone(200) },
    'POST /api/products': { request: (f) => ({ path: '/api/products', body: f.productBody() }), expect: adminOnly(201) },
    'PATCH /api/products/{id}': {
      request: (f) => ({ path: `/api/products/${f.productId}`, body: { description: 'made by the authorization matrix' } }),
      expect: adminOnly(200),
    },
    'DELETE /api/products/{id}': {
      request: async (f) => ({ path: `/api/products/${await f.newProduct()}` }),
      expect: adminOnly(204),
    },
  },
  'order-service': {
    ...health,
    'POST /api/orders': {
      request: (f) => ({ path: '/api/orders', body: { items: [{ productId: f.productId, quantity: 1 }] } }),
      expect: signedIn(202),
    },
    'GET /api/orders': { request: () => ({ path: '/api/orders' }), expect: signedIn(200) },
    'GET /api/orders/{id}': { request: (f) => ({ path: `/api/orders/${f.orderId}` }), expect: ownerOrAdmin(200) },
    'POST /api/orders/{id}/cancel': {
      request: async (f) => ({ path: `/api/orders/${await f.newOrder(f.customer)}/cancel` }),
      expect: ownerOrAdmin(200),
    },
  },
  'analytics-service': {
    ...health,
    'GET /api/analytics/summary': { request: () => ({ path: '/api/analytics/summary' }), expect: adminOnly(200) },
    'GET /api/analytics/timeseries': { request: () => ({ path: '/api/analytics/timeseries?metric=orders' }), expect: adminOnly(200) },
  },
  'notification-service': {
    ...health,
    'GET /api/notifications': { request: () => ({ path: '/api/notifications' }), expect: signedIn(200) },
    'POST /api/notifications/{id}/read': {
      request: (f) => ({ path: `/api/notifications/${f.notificationId}/read` }),
      // notifications are private: not even an admin reads another's
      expect: { anonymous: 401, customer: 204, otherCustomer: 404, admin: 404 },
    },
    'POST /api/notifications/stream-tokens': { request: () => ({ path: '/api/notifications/stream-tokens' }), expect: signedIn(201) },
    // only the head of the endless stream is read
    'GET /api/notifications/stream': { request: () => ({ path: '/api/notifications/stream' }), expect: signedIn(200) },
  },
};
