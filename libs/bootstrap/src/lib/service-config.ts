import { loadConfig, type ConfigPiece, type Env } from '@ecom/config';
import type { ServiceConfigValues, ServiceOptions } from './service-options';

const CORE_KEYS = ['service', 'http'] as const;

/** loads and validates the service's config; throws ConfigValidationError listing every bad variable */
export function loadServiceConfig<const P extends readonly ConfigPiece[]>(opts: ServiceOptions<P>, env: Env): ServiceConfigValues<P> {
  // the type already demands these; this catches callers that cast their way past it
  const missing = CORE_KEYS.filter((key) => !opts.config.some((piece) => piece.key === key));
  if (missing.length > 0) {
    throw new Error(`${opts.name}: config must include serviceConfig(name) and httpConfig(port); missing: ${missing.join(', ')}`);
  }
  const values = loadConfig(opts.config, env) as ServiceConfigValues<P>;
  // a copied main.ts with a stale name would log and label metrics as another service
  if (values.service.name !== opts.name) {
    throw new Error(`${opts.name}: serviceConfig is named "${values.service.name}"; use serviceConfig('${opts.name}')`);
  }
  return values;
}
