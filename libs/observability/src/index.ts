export * from './describe-error';
export * from './mask';
export * from './metrics';
