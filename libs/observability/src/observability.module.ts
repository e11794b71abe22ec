import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  Inject,
  Injectable,
  Logger,
  Module,
  ServiceUnavailableException,
  type DynamicModule,
  type InjectionToken,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  type OnModuleInit,
  type Provider,
} from '@nestjs/common';
import { HealthCheckService, TerminusModule, type HealthIndicatorResult } from '@nestjs/terminus';
import { Logger as PinoNestLogger, LoggerModule } from 'nestjs-pino';
import { consumersHealth, livenessOf, probeHealth, type HealthProbe } from './health';
import { rootLogger, type LogLevelName } from './logging';
import { metricsRegistry, setMetricsServiceName } from './metrics';

/** A dependency check built from a provider of the app (the Redis client, the Neo4j driver). */
export interface ProbeProvider {
  readonly name: string;
  readonly inject: InjectionToken;
  readonly check: (dependency: unknown) => Promise<unknown>;
}

/** `probeOf('redis', REDIS_CLIENT, (redis: Redis) => redis.ping())`. */
export const probeOf = <T>(
  name: string,
  inject: InjectionToken,
  check: (dependency: T) => Promise<unknown>,
): ProbeProvider => ({ name, inject, check: check as (dependency: unknown) => Promise<unknown> });

export interface ObservabilityOptions {
  readonly service: string;
  /** 0: any free port (tests). */
  readonly httpPort: number;
  /** Consumer groups whose consumers must run for the service to be ready. */
  readonly consumerGroupIds: readonly string[];
  readonly maxLag: number;
  readonly logLevel: LogLevelName;
  readonly logFormat: 'json' | 'text';
  readonly probes?: readonly ProbeProvider[];
}

const OPTIONS = Symbol('OBSERVABILITY_OPTIONS');
const PROBES = Symbol('OBSERVABILITY_PROBES');

/**
 * `/health/live`, `/health/ready` (terminus) and `/metrics` (Prometheus) on the service's own HTTP port. The
 * services are Kafka microservices; this small server beside them keeps their bootstrap unchanged.
 */
@Injectable()
export class ObservabilityHttpServer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Observability');
  private server: Server | undefined;

  constructor(
    @Inject(OPTIONS) private readonly options: ObservabilityOptions,
    @Inject(PROBES) private readonly probes: readonly HealthProbe[],
    @Inject(HealthCheckService) private readonly health: HealthCheckService,
  ) {}

  /** The bound port (tests bind 0 and read it here). */
  get port(): number {
    return (this.server?.address() as AddressInfo | null)?.port ?? 0;
  }

  async onApplicationBootstrap(): Promise<void> {
    const server = createServer((req, res) => {
      this.route(req, res).catch((error: unknown) => {
        this.logger.error(`health endpoint failed: ${String(error)}`);
        if (!res.headersSent) res.writeHead(500).end();
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.httpPort, () => resolve());
    });
    this.server = server;
    this.logger.log(
      `health and metrics on http://0.0.0.0:${this.port} (/health/live, /health/ready, /metrics)`,
    );
  }

  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** The readiness report terminus builds: consumers, then each dependency. */
  async readiness(): Promise<{ ready: boolean; body: unknown }> {
    const { consumerGroupIds, maxLag } = this.options;
    const indicators = [
      (): HealthIndicatorResult => ({ kafkaConsumers: consumersHealth(consumerGroupIds, maxLag) }),
      ...this.probes.map((probe) => async (): Promise<HealthIndicatorResult> => ({
        [probe.name]: await probeHealth(probe),
      })),
    ];
    try {
      return { ready: true, body: await this.health.check(indicators) };
    } catch (error: unknown) {
      if (error instanceof ServiceUnavailableException) return { ready: false, body: error.getResponse() };
      throw error;
    }
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET') return void res.writeHead(405).end();
    if (path === '/metrics') {
      const body = await metricsRegistry.metrics();
      return void res.writeHead(200, { 'content-type': metricsRegistry.contentType }).end(body);
    }
    if (path === '/health/live') {
      const live = livenessOf(this.options.consumerGroupIds);
      return json(res, live.status === 'up' ? 200 : 503, {
        status: live.status === 'up' ? 'ok' : 'error',
        live,
      });
    }
    if (path === '/health/ready') {
      const { ready, body } = await this.readiness();
      return json(res, ready ? 200 : 503, body);
    }
    res.writeHead(404).end();
  }
}

const json = (res: ServerResponse, status: number, body: unknown): void => {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
};

/** Switches Nest's logger to the JSON (pino) logger once the module is up. */
@Injectable()
class JsonLogs implements OnModuleInit {
  constructor(@Inject(PinoNestLogger) private readonly logger: PinoNestLogger) {}

  onModuleInit(): void {
    Logger.overrideLogger(this.logger);
  }
}

/** The config fields `observabilityEnvShape` and `logEnvShape` give every app. */
export interface ObservabilityEnv {
  readonly HTTP_PORT: number;
  readonly HEALTH_MAX_LAG: number;
  readonly LOG_FORMAT: 'json' | 'text';
  readonly LOG_LEVEL: LogLevelName;
}

@Module({})
export class ObservabilityModule {
  /** One line per app module: `ObservabilityModule.forService('graph-writer', config, [groupId], probes)`. */
  static forService(
    service: string,
    config: ObservabilityEnv,
    consumerGroupIds: readonly string[],
    probes: readonly ProbeProvider[] = [],
  ): DynamicModule {
    return ObservabilityModule.forRoot({
      service,
      httpPort: config.HTTP_PORT,
      consumerGroupIds,
      maxLag: config.HEALTH_MAX_LAG,
      logLevel: config.LOG_LEVEL,
      logFormat: config.LOG_FORMAT,
      probes,
    });
  }

  static forRoot(options: ObservabilityOptions): DynamicModule {
    setMetricsServiceName(options.service);
    const probes: Provider = {
      provide: PROBES,
      inject: (options.probes ?? []).map((p) => p.inject),
      useFactory: (...dependencies: unknown[]): HealthProbe[] =>
        (options.probes ?? []).map((p, i) => ({ name: p.name, check: () => p.check(dependencies[i]) })),
    };
    const json = options.logFormat === 'json';
    return {
      module: ObservabilityModule,
      imports: [
        TerminusModule.forRoot({ logger: false }),
        ...(json
          ? [LoggerModule.forRoot({ pinoHttp: { logger: rootLogger(options.service, options.logLevel) } })]
          : []),
      ],
      providers: [
        { provide: OPTIONS, useValue: options },
        probes,
        ObservabilityHttpServer,
        ...(json ? [JsonLogs] : []),
      ],
      exports: [ObservabilityHttpServer],
    };
  }
}

/** Redis answers PING (the app's ioredis client under `token`). */
export const redisProbe = (token: InjectionToken): ProbeProvider =>
  probeOf<{ ping(): Promise<unknown> }>('redis', token, (redis) => redis.ping());

/** Neo4j accepts a connection (the app's driver under `token`). */
export const neo4jProbe = (token: InjectionToken): ProbeProvider =>
  probeOf<{ verifyConnectivity(): Promise<unknown> }>('neo4j', token, (driver) =>
    driver.verifyConnectivity(),
  );
