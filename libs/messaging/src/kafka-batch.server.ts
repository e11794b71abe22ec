import { Server, type CustomTransportStrategy } from '@nestjs/microservices';
import type { Consumer, ConsumerConfig, ConsumerCrashEvent, EachBatchPayload } from 'kafkajs';
import { lastValueFrom } from 'rxjs';
import {
  asError,
  consumerStatusRegistry,
  errorSummary,
  pipelineMetrics,
  withCorrelationId,
  type ConsumerState,
  type ConsumerStatus,
  type ConsumerStatusSource,
} from '@scamflow/observability';
import { createKafka, type KafkaConnection } from './kafka-client';
import { toConsumedMessage, type ConsumedBatch } from './consumed-message';

const HEARTBEAT_INTERVAL_MS = 3_000;
/**
 * After a kill -9 the coordinator waits this long for the dead member before it hands its partitions to the
 * restarted one (kafkajs has no static membership). 30 s made a restarted service idle 20–30 s; 10 s keeps
 * three heartbeats of slack (long batches heartbeat every 3 s too) and stays above the broker's 6 s minimum.
 */
export const DEFAULT_SESSION_TIMEOUT_MS = 10_000;
/**
 * How long a fetch waits at the broker when its partitions have nothing new (kafkajs's `maxWaitTimeInMs`). New
 * data ends the wait at once, so this is not a delivery delay: it is how often an idle consumer polls (each
 * empty fetch cost an idle service about 2 ms of CPU here: 100 ms meant 2 % of a core doing nothing) and how
 * long a stop waits for the fetch in flight.
 */
export const DEFAULT_MAX_WAIT_MS = 500;
/**
 * How long a consumer may keep failing (kafkajs retries a batch with back-off, then restarts the consumer)
 * before it is declared dead. Covers a Neo4j or Kafka restart; a bug that fails every batch ends the process,
 * so the supervisor restarts it and the failure shows, instead of a partition stalling silently.
 */
export const DEFAULT_RESTART_BUDGET_MS = 5 * 60_000;

/** A handler failure with the batch's coordinates; the original error is its `cause`. */
export class BatchHandlingError extends Error {
  override readonly name = 'BatchHandlingError';
  /** kafkajs retries the batch and restarts the consumer on retriable errors, within the restart budget. */
  readonly retriable = true;

  constructor(topic: string, partition: number, firstOffset: string, lastOffset: string, cause: unknown) {
    super(`handling ${topic}/${partition}@${firstOffset}..${lastOffset} failed: ${errorSummary(cause)}`, {
      cause,
    });
  }
}

export interface KafkaBatchServerOptions extends KafkaConnection {
  readonly groupId: string;
  /** Where a new consumer group starts. Pipelines start at the beginning so nothing produced earlier is missed. */
  readonly fromBeginning?: boolean;
  readonly consumer?: Omit<ConsumerConfig, 'groupId'>;
  /** Partitions processed at once; per-partition order is kept either way. */
  readonly partitionsConsumedConcurrently?: number;
  /** Failing for longer than this without one good batch is fatal (default 5 min). */
  readonly restartBudgetMs?: number;
  /**
   * Called once when the consumer is dead for good (readiness is already false). Default: exit the process
   * non-zero, so a supervisor restarts it and uncommitted batches are redone.
   */
  readonly onFatalCrash?: (error: Error) => void;
}

const exitProcess = (): void => {
  process.exitCode = 70;
  // Give the logger a moment to flush the reason, then exit even if something keeps the loop alive.
  setTimeout(() => process.exit(70), 500).unref();
};

/**
 * Nest microservice transport that hands whole kafkajs batches to `@EventPattern(topic)` handlers.
 *
 * Nest's built-in Kafka transport dispatches message by message; ingestion needs batches (for `UNWIND` writes
 * and batched produces). Offsets are committed only after the handler resolves, so a crash re-delivers the
 * batch; handlers are idempotent. A handler that throws is treated as a transient failure: kafkajs retries
 * the batch and restarts the consumer with back-off, within a restart budget; past it the consumer is dead,
 * readiness turns false and the process exits non-zero. Handlers must therefore dead-letter bad input
 * themselves instead of throwing on it.
 */
export class KafkaBatchServer extends Server implements CustomTransportStrategy, ConsumerStatusSource {
  private consumer: Consumer | undefined;
  private state: ConsumerState = 'starting';
  private lastError: string | undefined;
  private restarts = 0;
  /** Since when batches have been failing without one success in between. */
  private failingSince: number | undefined;
  private readonly lagByPartition = new Map<string, number>();

  constructor(private readonly options: KafkaBatchServerOptions) {
    super();
  }

  consumerStatus(): ConsumerStatus {
    let lag = 0;
    for (const value of this.lagByPartition.values()) lag += value;
    return {
      groupId: this.options.groupId,
      state: this.state,
      lag,
      restarts: this.restarts,
      ...(this.lastError === undefined ? {} : { lastError: this.lastError }),
    };
  }

  listen(callback: (error?: unknown) => void): void {
    consumerStatusRegistry.add(this);
    this.start().then(
      () => callback(),
      (error: unknown) => callback(error),
    );
  }

  async close(): Promise<void> {
    this.state = 'stopped';
    consumerStatusRegistry.remove(this);
    await this.consumer?.disconnect();
    this.consumer = undefined;
  }

  on(): never {
    throw new Error(
      'KafkaBatchServer does not expose transport events; use unwrap() for the kafkajs consumer.',
    );
  }

  unwrap<T>(): T {
    if (!this.consumer) throw new Error('KafkaBatchServer is not listening yet.');
    return this.consumer as T;
  }

  private async start(): Promise<void> {
    const topics = [...this.messageHandlers.keys()];
    if (topics.length === 0) throw new Error('KafkaBatchServer has no @EventPattern handlers to subscribe.');
    const kafka = createKafka(this.options);
    const budgetMs = this.options.restartBudgetMs ?? DEFAULT_RESTART_BUDGET_MS;
    const consumer = kafka.consumer({
      sessionTimeout: DEFAULT_SESSION_TIMEOUT_MS,
      heartbeatInterval: HEARTBEAT_INTERVAL_MS,
      maxBytesPerPartition: 4 * 1024 * 1024,
      maxWaitTimeInMs: DEFAULT_MAX_WAIT_MS,
      ...this.options.consumer,
      retry: {
        initialRetryTime: 200,
        retries: 8,
        ...this.options.consumer?.retry,
        restartOnFailure: (error: Error) => Promise.resolve(this.mayRestart(error, budgetMs)),
      },
      groupId: this.options.groupId,
    });
    this.consumer = consumer;
    consumer.on(consumer.events.CRASH, (event: ConsumerCrashEvent) => this.onCrash(event));
    consumer.on(consumer.events.GROUP_JOIN, () => {
      // Partitions may have moved to another member: their last lag is no longer this member's.
      this.lagByPartition.clear();
      if (this.state !== 'crashed' && this.state !== 'stopped') this.state = 'running';
    });
    await consumer.connect();
    await consumer.subscribe({ topics, fromBeginning: this.options.fromBeginning ?? true });
    await consumer.run({
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently ?? 1,
      eachBatch: (payload) => this.handleBatch(payload),
    });
    this.state = 'running';
    this.logger.log(`Consuming ${topics.join(', ')} as group ${this.options.groupId}`);
  }

  private mayRestart(error: Error, budgetMs: number): boolean {
    const now = Date.now();
    this.failingSince ??= now;
    const within = now - this.failingSince < budgetMs;
    this.logger.error(
      `consumer of group ${this.options.groupId} failed (${within ? 'restarting' : 'restart budget exhausted'}, ` +
        `failing for ${Math.round((now - this.failingSince) / 1000)} s): ${errorSummary(error)}`,
    );
    return within;
  }

  private onCrash({ payload }: ConsumerCrashEvent): void {
    const error = asError(payload.error);
    this.lastError = errorSummary(error);
    pipelineMetrics().consumerCrashes.inc({
      service: this.options.clientId,
      restart: String(payload.restart),
    });
    if (payload.restart) {
      this.restarts += 1;
      this.state = 'restarting';
      return;
    }
    this.state = 'crashed';
    this.logger.error(
      `consumer of group ${this.options.groupId} crashed for good; exiting so a supervisor restarts it: ${this.lastError}`,
      error.stack,
    );
    (this.options.onFatalCrash ?? exitProcess)(error);
  }

  private async handleBatch(payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    if (batch.isEmpty() || !payload.isRunning() || payload.isStale()) return;
    const handler = this.getHandlerByPattern(batch.topic);
    if (!handler) throw new Error(`No handler for subscribed topic ${batch.topic}`);
    const consumed: ConsumedBatch = {
      topic: batch.topic,
      partition: batch.partition,
      messages: batch.messages.map((message) => toConsumedMessage(batch.topic, batch.partition, message)),
    };
    const metrics = pipelineMetrics();
    const labels = { service: this.options.clientId, topic: batch.topic };
    const endTimer = metrics.batchDuration.startTimer(labels);
    // A slow handler (a large trace, a busy graph) keeps the group membership alive: without heartbeats the
    // coordinator evicts the member after the session timeout and the batch is redone, over and over.
    const beat = setInterval(() => {
      payload.heartbeat().catch((error: unknown) => {
        this.logger.warn(`heartbeat during a long batch failed: ${errorSummary(error)}`);
      });
    }, HEARTBEAT_INTERVAL_MS);
    try {
      // Every log line of this batch carries its coordinates as the correlation id.
      await withCorrelationId(`${batch.topic}/${batch.partition}@${batch.firstOffset() ?? '?'}`, async () => {
        const result: unknown = await handler(consumed);
        await lastValueFrom(this.transformToObservable(result), { defaultValue: undefined });
      });
    } catch (error: unknown) {
      const failure = new BatchHandlingError(
        batch.topic,
        batch.partition,
        batch.firstOffset() ?? '?',
        batch.lastOffset(),
        error,
      );
      metrics.batchFailures.inc({ ...labels, errorClass: asError(error).constructor.name });
      this.lastError = failure.message;
      this.logger.error(failure.message, asError(error).stack);
      throw failure;
    } finally {
      clearInterval(beat);
      endTimer();
    }
    payload.resolveOffset(batch.lastOffset());
    await payload.commitOffsetsIfNecessary();
    await payload.heartbeat();
    this.failingSince = undefined;
    if (this.state === 'restarting' || this.state === 'starting') this.state = 'running';
    metrics.messagesConsumed.inc(labels, batch.messages.length);
    const lag = Number(batch.offsetLag());
    this.lagByPartition.set(`${batch.topic}/${batch.partition}`, Number.isFinite(lag) ? lag : 0);
    metrics.consumerLag.set(
      { ...labels, partition: String(batch.partition) },
      Number.isFinite(lag) ? lag : 0,
    );
  }
}
