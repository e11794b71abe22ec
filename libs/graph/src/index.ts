export * from './neo4j.module';
export * from './transfer.repository';
