export * from './redis-keys';
export * from './redis.module';
export * from './account-flow.repository';
