import { httpConfig, kafkaConfig, postgresConfig, serviceConfig } from '@ecom/config';

export const SERVICE = 'order-service';

export const orderConfig = [serviceConfig(SERVICE), httpConfig(3003), kafkaConfig(SERVICE), postgresConfig('ecom')] as const;
