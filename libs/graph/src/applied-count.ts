import { isInt, type Record as Neo4jRecord } from 'neo4j-driver';

/** The `applied` count a write statement returns (0 when it returned no row). */
export const appliedCount = (records: readonly Neo4jRecord[]): number => {
  const applied: unknown = records[0]?.get('applied');
  return isInt(applied) ? applied.toNumber() : 0;
};
