import neo4j, { type Driver } from 'neo4j-driver';

/** Where a Neo4j database lives. An empty or missing user means the server runs without authentication. */
export interface Neo4jTarget {
  readonly url: string;
  readonly user?: string;
  readonly password?: string;
  readonly database: string;
}

export interface Neo4jDriverOptions {
  readonly connectionTimeoutMs?: number;
}

/** Small pool and short timeouts: these drivers are for provisioning and probing, not for application traffic. */
export function createNeo4jDriver(target: Neo4jTarget, options: Neo4jDriverOptions = {}): Driver {
  // No token at all for servers without authentication (the driver then sends scheme 'none').
  const auth = target.user ? neo4j.auth.basic(target.user, target.password ?? '') : undefined;
  const timeout = options.connectionTimeoutMs ?? 5_000;
  return neo4j.driver(target.url, auth, {
    maxConnectionPoolSize: 2,
    connectionTimeout: timeout,
    connectionAcquisitionTimeout: timeout,
  });
}
