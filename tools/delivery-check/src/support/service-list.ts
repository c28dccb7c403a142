// deploy/services.json, the one list of the platform's http services, as the checks read it. what each
// field means: tools/scripts/render-services.mjs, which also validates the list (its --check runs in
// src/services/service-list.spec.ts)
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './tools';

export const SERVICE_LIST = 'deploy/services.json';

export interface ListedService {
  readonly name: string;
  readonly description: string;
  readonly port: number;
  readonly routes: readonly string[];
  readonly health: string;
  readonly stores: readonly string[];
  readonly mongoDatabase?: string;
  readonly personalData?: boolean;
  readonly signsTokens?: boolean;
  readonly seedsAdmin?: boolean;
}

/** the services of a copy of the repository (this one by default), in the list's order */
export function readServiceList(root: string = ROOT): readonly ListedService[] {
  return (JSON.parse(readFileSync(join(root, SERVICE_LIST), 'utf8')) as { services: ListedService[] }).services;
}

export const LISTED_SERVICES = readServiceList();
export const SERVICE_NAMES: readonly string[] = LISTED_SERVICES.map((s) => s.name);

/** USER_SERVICE_PORT for user-service: the variable npm start, the gateways and the e2e suite read */
export const portVariable = (name: string) => `${name.toUpperCase().replace(/-/g, '_')}_PORT`;
