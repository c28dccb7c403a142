// the services themselves (deploy/services.json's), around the gateway: where each listens, and its OpenAPI document
import { randomUUID } from 'node:crypto';
import { request, type Answer, type CallOptions } from './api';
import { settings } from './settings';

/** a service of deploy/services.json, e.g. user-service */
export type ServiceName = string;
/** the services of deploy/services.json, in its order */
export const SERVICE_NAMES: readonly ServiceName[] = Object.keys(settings.servicePorts);

/** the public listener of a service, e.g. http://127.0.0.1:3001 (its paths are the gateway's: /api/users, ...) */
export const serviceUrl = (service: ServiceName): string => `http://${settings.servicesHost}:${settings.servicePorts[service]}`;

/** the services' default management listener (/metrics, /docs): the http port + this */
const MANAGEMENT_PORT_OFFSET = 6000;

export interface OpenApiOperation {
  readonly security?: readonly Record<string, readonly string[]>[];
  readonly parameters?: readonly { readonly name: string; readonly in: string; readonly required?: boolean }[];
  readonly requestBody?: unknown;
  readonly responses: Record<string, unknown>;
}

export interface OpenApiDoc {
  readonly openapi: string;
  readonly paths: Record<string, Record<string, OpenApiOperation>>;
  readonly components?: Record<string, unknown>;
}

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/**
 * the OpenAPI document a running service publishes. the one place that knows where it is: on the
 * management listener, or (older builds) on the public one.
 */
export async function openApiDocument(service: ServiceName): Promise<OpenApiDoc> {
  const port = settings.servicePorts[service];
  const places = [port + MANAGEMENT_PORT_OFFSET, port].map((p) => `http://${settings.servicesHost}:${p}/docs-json`);
  const failures: string[] = [];
  for (const url of places) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(10_000) });
      if (res.ok) return (await res.json()) as OpenApiDoc;
      failures.push(`${url}: ${res.status}`);
    } catch (e) {
      failures.push(`${url}: ${(e as Error & { cause?: { code?: string } }).cause?.code ?? (e as Error).message}`);
    }
  }
  throw new Error(`${service} publishes no OpenAPI document (is it running? npm start): ${failures.join('; ')}`);
}

export interface Operation {
  readonly service: ServiceName;
  readonly method: string;
  readonly path: string;
  readonly operation: OpenApiOperation;
}

/** every operation of a document, as METHOD /path */
export function operationsOf(service: ServiceName, doc: OpenApiDoc): Operation[] {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([method]) => HTTP_METHODS.includes(method))
      .map(([method, operation]) => ({ service, method: method.toUpperCase(), path, operation })),
  );
}

/** one request to a service's own port; a stream (text/event-stream) is answered by its head only */
export function callService(service: ServiceName, method: string, path: string, opts: CallOptions = {}): Promise<Answer> {
  return request(serviceUrl(service), method, path, opts);
}

export interface DirectActor {
  readonly id: string;
  readonly email: string;
  readonly password: string;
  readonly name: string;
  readonly token: string;
}

async function loginDirect(email: string, password: string): Promise<string> {
  const res = await callService('user-service', 'POST', '/api/auth/login', { body: { email, password } });
  if (res.status !== 200) throw new Error(`login of ${email} answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body.accessToken;
}

/** the seeded admin, logged in at user-service itself */
export async function adminDirect(): Promise<DirectActor> {
  const token = await loginDirect(settings.admin.email, settings.admin.password);
  const me = await callService('user-service', 'GET', '/api/users/me', { token });
  return { id: me.body.id, email: settings.admin.email, password: settings.admin.password, name: me.body.name, token };
}

/** a new customer, registered and logged in at user-service itself */
export async function customerDirect(name: string): Promise<DirectActor> {
  const email = `${name.toLowerCase()}-${randomUUID().slice(0, 8)}@example.com`;
  const password = `pass-${randomUUID()}-9`;
  const reg = await callService('user-service', 'POST', '/api/users', { body: { email, password, name } });
  if (reg.status !== 201) throw new Error(`registering ${email} answered ${reg.status}: ${JSON.stringify(reg.body)}`);
  return { id: reg.body.id, email, password, name, token: await loginDirect(email, password) };
}
