// test support, apart from the library so that no service bundle carries @nestjs/testing: import it as @ecom/kafka/testing
export * from './consumer-app';
