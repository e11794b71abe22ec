export * from './describe-error';
export * from './mask';
export * from './metrics';
export * from './consumer-status';
export * from './logging';
export * from './health';
export * from './observability.config';
export * from './observability.module';
