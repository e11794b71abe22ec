import { Inject, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import neo4j, { type Driver } from 'neo4j-driver';
import { disableNagleForOutgoingConnections } from './tcp-no-delay';

export interface Neo4jConnection {
  readonly url: string;
  readonly user: string;
  readonly password: string;
  readonly database: string;
}

/** The connection a service's configuration names (its `NEO4J_*` variables). */
export const neo4jConnectionOf = (config: {
  readonly NEO4J_URL: string;
  readonly NEO4J_USER: string;
  readonly NEO4J_PASSWORD: string;
  readonly NEO4J_DATABASE: string;
}): Neo4jConnection => ({
  url: config.NEO4J_URL,
  user: config.NEO4J_USER,
  password: config.NEO4J_PASSWORD,
  database: config.NEO4J_DATABASE,
});

export const NEO4J_DRIVER = Symbol('NEO4J_DRIVER');
export const NEO4J_DATABASE = Symbol('NEO4J_DATABASE');

export const createNeo4jDriver = ({ url, user, password }: Neo4jConnection): Driver => {
  disableNagleForOutgoingConnections();
  return neo4j.driver(url, user ? neo4j.auth.basic(user, password) : undefined, {
    maxConnectionPoolSize: 20,
    connectionAcquisitionTimeout: 30_000,
    disableLosslessIntegers: false,
  });
};

class Neo4jLifecycle implements OnApplicationShutdown {
  constructor(@Inject(NEO4J_DRIVER) private readonly driver: Driver) {}

  async onApplicationShutdown(): Promise<void> {
    await this.driver.close();
  }
}

/** One driver per service, closed on shutdown; repositories get the database name injected beside it. */
@Module({})
export class Neo4jModule {
  static forRoot(connection: Neo4jConnection): DynamicModule {
    return {
      module: Neo4jModule,
      global: true,
      providers: [
        { provide: NEO4J_DRIVER, useFactory: () => createNeo4jDriver(connection) },
        { provide: NEO4J_DATABASE, useValue: connection.database },
        Neo4jLifecycle,
      ],
      exports: [NEO4J_DRIVER, NEO4J_DATABASE],
    };
  }
}
