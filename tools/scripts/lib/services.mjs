// the five http services: name, port, management port, and where their build, log and pid file live.
// a port can be moved with <NAME>_PORT, e.g. USER_SERVICE_PORT=4001 npm start; the management port
// (/metrics, /docs, readiness details) moves with it.
import { join } from 'node:path';
import process from 'node:process';
import { LOG_DIR, ROOT, RUN_DIR } from './proc.mjs';

const DEFAULT_PORTS = {
  'user-service': 3001,
  'product-service': 3002,
  'order-service': 3003,
  'analytics-service': 3004,
  'notification-service': 3005,
};

// the services' own default for MANAGEMENT_PORT: HTTP_PORT + this (MANAGEMENT_PORT_OFFSET in libs/config)
export const MANAGEMENT_PORT_OFFSET = 6000;

export const portVar = (name) => `${name.toUpperCase().replace(/-/g, '_')}_PORT`;

export const SERVICES = Object.entries(DEFAULT_PORTS).map(([name, fallback]) => {
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
