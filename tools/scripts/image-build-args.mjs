#!/usr/bin/env node
// the --build-arg flags deploy/Dockerfile takes for one service, from deploy/services.json, on one line:
//   node tools/scripts/image-build-args.mjs order-service
//   --build-arg SERVICE=order-service --build-arg PORT=3003 --build-arg MANAGEMENT_PORT=9003
// e.g. docker build -f deploy/Dockerfile $(node tools/scripts/image-build-args.mjs order-service) -t ecom/order-service:dev .
// (the delivery workflow's image job builds with these; docker-compose.yml has the same, rendered)
import process from 'node:process';
import { readServiceList } from './lib/service-list.mjs';

const [name] = process.argv.slice(2);
const service = readServiceList().find((s) => s.name === name);
if (!service) {
  console.error(`image-build-args: ${name ? `${name} is not a service of deploy/services.json` : 'usage: image-build-args.mjs <service>'}`);
  process.exit(1);
}
const args = { SERVICE: service.name, PORT: service.port, MANAGEMENT_PORT: service.managementPort };
console.log(
  Object.entries(args)
    .map(([k, v]) => `--build-arg ${k}=${v}`)
    .join(' '),
);
