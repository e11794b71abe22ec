/** Where the three servers are, in the shape services and tests read from the environment. */
export interface InfraEndpoints {
  kafkaBrokers: string[];
  neo4jUrl: string;
  neo4jUser?: string;
  neo4jPassword?: string;
  neo4jDatabase: string;
  redisUrl: string;
}

/** Endpoints from KAFKA_BROKERS / NEO4J_URL / REDIS_URL, or undefined unless all three are set. */
export function endpointsFromEnv(env: NodeJS.ProcessEnv = process.env): InfraEndpoints | undefined {
  const brokers = env['KAFKA_BROKERS'];
  const neo4jUrl = env['NEO4J_URL'];
  const redisUrl = env['REDIS_URL'];
  if (!brokers || !neo4jUrl || !redisUrl) return undefined;
  return {
    kafkaBrokers: brokers
      .split(',')
      .map((broker) => broker.trim())
      .filter((broker) => broker.length > 0),
    neo4jUrl,
    neo4jUser: env['NEO4J_USER'] || undefined,
    neo4jPassword: env['NEO4J_PASSWORD'] || undefined,
    neo4jDatabase: env['NEO4J_DATABASE'] || 'neo4j',
    redisUrl,
  };
}

/** Writes the endpoints into the environment (child processes such as Jest workers inherit them). */
export function exportEndpointsToEnv(endpoints: InfraEndpoints, env: NodeJS.ProcessEnv = process.env): void {
  env['KAFKA_BROKERS'] = endpoints.kafkaBrokers.join(',');
  env['NEO4J_URL'] = endpoints.neo4jUrl;
  env['NEO4J_USER'] = endpoints.neo4jUser ?? '';
  env['NEO4J_PASSWORD'] = endpoints.neo4jPassword ?? '';
  env['NEO4J_DATABASE'] = endpoints.neo4jDatabase;
  env['REDIS_URL'] = endpoints.redisUrl;
}
