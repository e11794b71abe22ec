export * from './trace-proceeds';
export * from './incremental-trace';
export * from './pool-book';
export type { PoolLot } from './rule-pools';
export type { LibrRule } from './trace-step';
export type * from './proceeds-graph';
export * from './pending-payments';
