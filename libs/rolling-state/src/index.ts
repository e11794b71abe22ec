export * from './redis-keys';
export * from './redis.module';
export * from './account-flow.repository';
export * from './fx-rate.repository';
export * from './alert-state.repository';
export * from './proceeds-taint.repository';
export * from './account-profile.repository';
export * from './known-mule.repository';
