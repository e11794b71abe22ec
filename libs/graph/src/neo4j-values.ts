import { isInt } from 'neo4j-driver';

/** A count, degree or sequence number read from Neo4j (driver Integer or plain number) as a JS number. */
export const numberOf = (value: unknown): number => (isInt(value) ? value.toNumber() : Number(value));
