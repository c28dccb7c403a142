import type { DynamicModule, INestApplication, Type } from '@nestjs/common';
import type { ConfigOf, ConfigPiece, HttpConfig, ServiceConfig } from '@ecom/config';

export interface OpenApiOptions {
  readonly title: string;
  readonly description?: string;
  readonly version?: string;
}

/** what one service tells bootstrapService about itself */
export interface ServiceOptions<P extends readonly ConfigPiece[] = readonly ConfigPiece[]> {
  readonly name: string;
  /** the service's feature module; config, logging and health are added around it */
  readonly module: Type<unknown> | DynamicModule;
  /** must include serviceConfig(name) and httpConfig(port) */
  readonly config: P & RequireCorePieces<P>;
  readonly openapi?: OpenApiOptions;
  /**
   * the health checks that gate readiness: the stores every route needs. others (a cache, search,
   * kafka behind an outbox) are reported in /health/ready but leave the service in the load
   * balancer, since taking every replica out cannot bring a store back. default: every check.
   */
  readonly readiness?: readonly string[];
  /**
   * serves the service's message handlers once the app is initialised: startEventConsumers of
   * @ecom/kafka for @EventHandler methods. a service without handlers leaves it out.
   */
  readonly messages?: (app: INestApplication) => Promise<void>;
}

export interface CoreConfig {
  readonly service: ServiceConfig;
  readonly http: HttpConfig;
}

// a readable compile error when a core piece is missing
type RequireCorePieces<P extends readonly ConfigPiece[]> =
  ConfigOf<P> extends CoreConfig ? unknown : 'config must include serviceConfig(name) and httpConfig(port)';

export type ServiceConfigValues<P extends readonly ConfigPiece[]> = ConfigOf<P> & CoreConfig;
