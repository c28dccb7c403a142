import type { FastifyInstance } from 'fastify';
import { PROBLEM_CONTENT_TYPE, type ProblemDetails } from '@ecom/http';

interface KnownPath {
  readonly pattern: RegExp;
  readonly methods: Set<string>;
}

/** a route's url as fastify writes it (/api/orders/:id/cancel) as a pattern for a concrete path */
function patternOf(url: string): RegExp {
  const source = url
    .split(/(:[A-Za-z0-9_]+|\*)/)
    .map((part) => (part === '*' ? '.*' : part.startsWith(':') ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`);
}

/**
 * a path the service knows, asked with a method it does not take (TRACE, PUT on a GET route...),
 * answers 405 with Allow (rfc 9110 15.5.6) as problem+json, not 404. call it on the app's fastify
 * instance before the routes are registered: it learns them as they are.
 */
export function answerMethodNotAllowed(fastify: FastifyInstance): void {
  const known = new Map<string, KnownPath>();
  fastify.addHook('onRoute', (route) => {
    let path = known.get(route.url);
    if (!path) known.set(route.url, (path = { pattern: patternOf(route.url), methods: new Set() }));
    for (const method of [route.method].flat()) path.methods.add(method.toUpperCase());
  });
  // runs for requests no route matched too (request.is404), before the not-found handler. a callback
  // hook: every request passes it, and a promise each is measurable on the hot read
  fastify.addHook('onRequest', (request, reply, done) => {
    if (!request.is404) return done();
    const path = request.url.split('?')[0];
    const allowed = new Set<string>();
    for (const known_ of known.values()) if (known_.pattern.test(path)) known_.methods.forEach((m) => allowed.add(m));
    if (allowed.size === 0 || allowed.has(request.method)) return done();
    const allow = [...allowed].sort().join(', ');
    const problem: ProblemDetails = {
      type: 'about:blank',
      title: 'Method Not Allowed',
      status: 405,
      detail: `${path} takes ${allow} only`,
      instance: path,
      correlationId: String(request.id),
    };
    // answered here: done() is not called, so the not-found handler never runs
    void reply.code(405).header('allow', allow).header('content-type', PROBLEM_CONTENT_TYPE).send(problem);
  });
}
