/** the kafkajs client of the service */
export const KAFKA = Symbol('ecom:kafka');
/** a second client that fails fast, for health checks */
export const KAFKA_HEALTH_ADMIN = Symbol('ecom:kafka-health-admin');
