// the http services of deploy/services.json: name, port, management port, and where their build, log and
// pid file live. a port can be moved with <NAME>_PORT, e.g. USER_SERVICE_PORT=4001 npm start; the
// management port (/metrics, /docs, readiness details) moves with it.
import { join } from 'node:path';
import process from 'node:process';
import { LOG_DIR, ROOT, RUN_DIR } from './proc.mjs';
import { MANAGEMENT_PORT_OFFSET, portVar, readNodeFlags, readNodeFlagsEnv, readServiceList } from './service-list.mjs';

export { MANAGEMENT_PORT_OFFSET, portVar };

/** node's flags for every service, as the image runs it (deploy/node-flags.json) */
export const NODE_FLAGS = readNodeFlags(ROOT);
/** the environment every service runs under, as the image sets it (deploy/node-flags.json's env) */
export const NODE_FLAGS_ENV = readNodeFlagsEnv(ROOT);

export const SERVICES = readServiceList(ROOT).map(({ name, port: fallback }) => {
  const override = Number(process.env[portVar(name)]);
  const port = override > 0 ? override : fallback;
  return {
    name,
    port,
    managementPort: port + MANAGEMENT_PORT_OFFSET,
    main: join(ROOT, 'dist/apps', name, 'main.js'),
    log: join(LOG_DIR, `${name}.log`),
    pidFile: join(RUN_DIR, `${name}.pid`),
  };
});
