export * from './neo4j.module';
export * from './transfer.repository';
export * from './account-fact.repository';
export * from './victim-report.repository';
export * from './proceeds-subgraph.repository';
export * from './trace-query.repository';
export * from './investigation.repository';
