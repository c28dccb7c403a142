// deploy/services.json, the one list of the platform's http services, read and checked. what each field
// means is in tools/scripts/render-services.mjs, which writes everything the list drives. no imports
// beyond node's own: the renderer, npm start and the pipeline all read the list through this file.
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const SERVICE_LIST = 'deploy/services.json';
/** the node flags of every service process: the image's CMD, npm start and the tests' and benchmark's instances */
export const NODE_FLAGS_FILE = 'deploy/node-flags.json';

// the services' own default for MANAGEMENT_PORT: HTTP_PORT + this (MANAGEMENT_PORT_OFFSET in libs/config)
export const MANAGEMENT_PORT_OFFSET = 6000;

/** the stores a service may name, as the list spells them */
export const STORE_NAMES = ['mongo', 'redis', 'elasticsearch', 'postgres', 'cassandra'];

const FIELDS = ['name', 'description', 'port', 'routes', 'health', 'stores', 'mongoDatabase', 'personalData', 'signsTokens', 'seedsAdmin'];
const ROUTE = /^\/api\/[a-z][a-z0-9-]*$/;

/** USER_SERVICE_PORT for user-service: the variable npm start, the gateway and the e2e suite read */
export const portVar = (name) => `${name.toUpperCase().replace(/-/g, '_')}_PORT`;

/**
 * the services of <root>/deploy/services.json, each with its management port; throws, naming the
 * service and the field, on anything the renderer could not render
 */
export function readServiceList(root = REPO_ROOT) {
  const file = join(root, SERVICE_LIST);
  const list = JSON.parse(readFileSync(file, 'utf8'));
  const problems = [];
  const seen = { name: new Set(), port: new Set(), route: new Set() };
  const entries = Array.isArray(list.services) ? list.services : [];
  const services = entries.map((entry, i) => {
    const s = entry !== null && typeof entry === 'object' ? entry : {};
    const what = `services[${i}]${typeof s?.name === 'string' ? ` (${s.name})` : ''}`;
    const bad = (field, why) => problems.push(`${what}.${field}: ${why}`);
    for (const key of Object.keys(s)) if (!FIELDS.includes(key)) bad(key, `unknown field (known: ${FIELDS.join(', ')})`);
    if (typeof s.name !== 'string' || !/^[a-z][a-z0-9]*(-[a-z0-9]+)*-service$/.test(s.name)) bad('name', 'must be <word>-service, lower case');
    else if (seen.name.has(s.name)) bad('name', 'listed twice');
    if (typeof s.description !== 'string' || s.description === '') bad('description', 'must say in a few words what it does');
    if (!Number.isInteger(s.port) || s.port < 1024 || s.port + MANAGEMENT_PORT_OFFSET > 65535)
      bad('port', `must be a port from 1024 to ${65535 - MANAGEMENT_PORT_OFFSET} (its management port is port + ${MANAGEMENT_PORT_OFFSET})`);
    else if (seen.port.has(s.port)) bad('port', `${s.port} is taken by another service`);
    if (!Array.isArray(s.routes) || s.routes.length === 0) bad('routes', 'must list the /api/<name> prefixes it serves');
    for (const r of Array.isArray(s.routes) ? s.routes : []) {
      if (typeof r !== 'string' || !ROUTE.test(r)) bad('routes', `${JSON.stringify(r)} is not /api/<name>`);
      else if (seen.route.has(r)) bad('routes', `${r} is routed to another service`);
      seen.route.add(r);
    }
    if (typeof s.health !== 'string' || !(s.routes ?? []).some((r) => s.health === `${r}/health`))
      bad('health', 'must be <one of its routes>/health');
    if (!Array.isArray(s.stores)) bad('stores', `must list what it connects to besides kafka (any of ${STORE_NAMES.join(', ')}), or be []`);
    for (const st of Array.isArray(s.stores) ? s.stores : [])
      if (!STORE_NAMES.includes(st)) bad('stores', `${JSON.stringify(st)} is not one of ${STORE_NAMES.join(', ')}`);
    if (new Set(s.stores).size !== (s.stores ?? []).length) bad('stores', 'names a store twice');
    const mongo = (s.stores ?? []).includes('mongo');
    if (mongo !== (s.mongoDatabase !== undefined)) bad('mongoDatabase', 'is the database of a service with the store mongo, and only then');
    if (s.mongoDatabase !== undefined && !/^[a-z][a-z0-9_]*$/.test(s.mongoDatabase)) bad('mongoDatabase', 'must be a plain lower-case name');
    for (const flag of ['personalData', 'signsTokens', 'seedsAdmin'])
      if (s[flag] !== undefined && typeof s[flag] !== 'boolean') bad(flag, 'must be true or false');
    seen.name.add(s.name);
    seen.port.add(s.port);
    return {
      name: s.name,
      description: s.description,
      port: s.port,
      managementPort: s.port + MANAGEMENT_PORT_OFFSET,
      routes: [...(s.routes ?? [])],
      health: s.health,
      stores: [...(s.stores ?? [])],
      ...(s.mongoDatabase !== undefined ? { mongoDatabase: s.mongoDatabase } : {}),
      personalData: s.personalData === true,
      signsTokens: s.signsTokens === true,
      seedsAdmin: s.seedsAdmin === true,
    };
  });
  if (services.length === 0) problems.push('services: the list is empty');
  // a management port must not be another service's http port either
  for (const s of services)
    if (seen.port.has(s.managementPort)) problems.push(`${s.name}: its management port ${s.managementPort} is another service's port`);
  if (problems.length) throw new Error(`${SERVICE_LIST} is not valid:\n  ${problems.join('\n  ')}`);
  return services;
}

/** the flags of <root>/deploy/node-flags.json, to put between node and main.js; throws on anything but --flags */
export function readNodeFlags(root = REPO_ROOT) {
  const { flags } = JSON.parse(readFileSync(join(root, NODE_FLAGS_FILE), 'utf8'));
  if (!Array.isArray(flags) || flags.some((f) => typeof f !== 'string' || !/^--[a-z0-9-]+(=\S+)?$/.test(f)))
    throw new Error(`${NODE_FLAGS_FILE}: flags must be a list of --flag or --flag=value, got ${JSON.stringify(flags)}`);
  return flags;
}

/** the variables of <root>/deploy/node-flags.json's env, set under every service; throws on anything but NAME: "value" */
export function readNodeFlagsEnv(root = REPO_ROOT) {
  const { env = {} } = JSON.parse(readFileSync(join(root, NODE_FLAGS_FILE), 'utf8'));
  const entries = typeof env === 'object' && env !== null && !Array.isArray(env) ? Object.entries(env) : [[]];
  if (entries.some(([name, value]) => !/^[A-Z][A-Z0-9_]*$/.test(name ?? '') || typeof value !== 'string' || /[\r\n]/.test(value)))
    throw new Error(`${NODE_FLAGS_FILE}: env must map NAME to a one-line string, got ${JSON.stringify(env)}`);
  return Object.fromEntries(entries);
}
