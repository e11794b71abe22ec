/**
 * `npm run dlq:replay -- --topic bank.transfer.received.v1.dlq --since 2026-12-01T00:00:00Z [--until …] [--dry-run]`
 *
 * Re-sends dead letters to the topic they came from, after the fix that makes them acceptable has been deployed.
 * Original key, bytes and headers are sent unchanged, plus `dlq-replay-of: <dlq topic>/<partition>@<offset>`.
 * Idempotent: each re-sent dead letter is remembered in Redis (`dlq:replayed:<id>`, 90 days), so a second run
 * skips it, and dead letters of replayed messages that failed again are skipped unless `--retry-failed`; the pipeline itself ignores a transfer id it already has. After sending it waits for the services and
 * reports what failed again (a new dead letter carrying one of this run's `dlq-replay-of` ids) and why.
 */
import type Redis from 'ioredis';
import { Kafka, logLevel } from 'kafkajs';
import { DEAD_LETTER_HEADERS } from '@scamflow/contracts';
import { REDIS_TTL_SECONDS, createRedis, redisKeys } from '@scamflow/rolling-state';
import { argValue } from './cli-args';
import { resolveEndpoints } from './services';
import { offsetsAt, readTopicRange, type TopicRecord } from './topic-range';

export const REPLAY_OF_HEADER = 'dlq-replay-of';

export interface ReplayOptions {
  readonly brokers: readonly string[];
  /** The dead-letter topic (a source topic name gets `.dlq` appended). */
  readonly topic: string;
  readonly sinceMs: number;
  readonly untilMs?: number;
  /** Only dead letters whose key starts with this (one producer's, one account's). */
  readonly keyPrefix?: string;
  readonly dryRun: boolean;
  /**
   * Also re-send dead letters that a previous replay produced (they carry `dlq-replay-of`). Off by default: the
   * original is the unit of replay, so running the same replay twice re-sends nothing.
   */
  readonly retryFailed?: boolean;
  /** How long to watch the dead-letter topic for messages that fail again. */
  readonly waitMs: number;
}

export interface ReplayedLetter {
  readonly id: string;
  readonly sourceTopic: string;
  readonly reason: string;
}

export interface ReplayReport {
  readonly deadLetterTopic: string;
  readonly since: string;
  readonly until?: string;
  readonly dryRun: boolean;
  readonly read: number;
  readonly resent: number;
  readonly alreadyReplayed: number;
  /** Dead letters of earlier replays' failures, skipped (see `retryFailed`). */
  readonly fromEarlierReplays: number;
  readonly withoutSource: number;
  /** Re-sent (or, dry run, to re-send) per source topic and original reason. */
  readonly byReason: readonly { sourceTopic: string; reason: string; count: number }[];
  readonly failedAgain: readonly (ReplayedLetter & { readonly newReason: string })[];
}

export const replayDeadLetters = async (options: ReplayOptions, redis: Redis): Promise<ReplayReport> => {
  const dlq = options.topic.endsWith('.dlq') ? options.topic : `${options.topic}.dlq`;
  const kafka = new Kafka({
    clientId: 'dlq-replay',
    brokers: [...options.brokers],
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  await admin.connect();
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  try {
    const starts = await offsetsAt(admin, dlq, options.sinceMs);
    const letters = (await readTopicRange(kafka, admin, dlq, starts)).filter(
      (l) =>
        l.timestampMs >= options.sinceMs &&
        (options.untilMs === undefined || l.timestampMs < options.untilMs) &&
        (options.keyPrefix === undefined || (l.key?.toString('utf8').startsWith(options.keyPrefix) ?? false)),
    );
    const withSource = letters.filter((l) => l.headers[DEAD_LETTER_HEADERS.sourceTopic]);
    const fromEarlierReplays = options.retryFailed
      ? []
      : withSource.filter((l) => l.headers[REPLAY_OF_HEADER] !== undefined);
    const candidates = withSource.filter((l) => !fromEarlierReplays.includes(l));
    const toSend: TopicRecord[] = [];
    let alreadyReplayed = 0;
    for (const letter of candidates) {
      const key = redisKeys.dlqReplayed(letter.id);
      const fresh = options.dryRun
        ? (await redis.exists(key)) === 0
        : (await redis.set(key, new Date().toISOString(), 'EX', REDIS_TTL_SECONDS.dlqReplayed, 'NX')) ===
          'OK';
      if (fresh) toSend.push(letter);
      else alreadyReplayed += 1;
    }
    const counts = new Map<string, { sourceTopic: string; reason: string; count: number }>();
    for (const l of toSend) {
      const sourceTopic = l.headers[DEAD_LETTER_HEADERS.sourceTopic] ?? '';
      const reason = (l.headers[DEAD_LETTER_HEADERS.reason] ?? '').split('\n')[0] ?? '';
      const entry = counts.get(`${sourceTopic}|${reason}`) ?? { sourceTopic, reason, count: 0 };
      entry.count += 1;
      counts.set(`${sourceTopic}|${reason}`, entry);
    }

    let failedAgain: ReplayReport['failedAgain'] = [];
    if (!options.dryRun && toSend.length > 0) {
      const before = new Map((await admin.fetchTopicOffsets(dlq)).map((p) => [p.partition, p.high]));
      await producer.connect();
      let sentCount = 0;
      try {
        for (const l of toSend) {
          const { [REPLAY_OF_HEADER]: _earlier, ...headers } = l.headers;
          for (const name of Object.values(DEAD_LETTER_HEADERS)) delete headers[name];
          await producer.send({
            topic: l.headers[DEAD_LETTER_HEADERS.sourceTopic] ?? '',
            acks: -1,
            messages: [{ key: l.key, value: l.value, headers: { ...headers, [REPLAY_OF_HEADER]: l.id } }],
          });
          sentCount += 1;
        }
      } catch (error) {
        // The markers were set before sending: release those of the letters not sent, or a rerun skips them.
        const unsent = toSend.slice(sentCount).map((l) => redisKeys.dlqReplayed(l.id));
        if (unsent.length > 0) await redis.del(...unsent);
        throw error;
      }
      const sent = new Map(toSend.map((l) => [l.id, l]));
      const found = new Map<string, string>();
      const deadline = Date.now() + options.waitMs;
      while (Date.now() < deadline && found.size < sent.size) {
        await new Promise((resolve) => setTimeout(resolve, 2_000));
        for (const again of await readTopicRange(kafka, admin, dlq, before)) {
          const of = again.headers[REPLAY_OF_HEADER];
          if (of && sent.has(of)) found.set(of, again.headers[DEAD_LETTER_HEADERS.reason] ?? '');
        }
      }
      failedAgain = [...found].map(([id, newReason]) => {
        const l = sent.get(id);
        return {
          id,
          sourceTopic: l?.headers[DEAD_LETTER_HEADERS.sourceTopic] ?? '',
          reason: l?.headers[DEAD_LETTER_HEADERS.reason] ?? '',
          newReason,
        };
      });
    }
    return {
      deadLetterTopic: dlq,
      since: new Date(options.sinceMs).toISOString(),
      ...(options.untilMs === undefined ? {} : { until: new Date(options.untilMs).toISOString() }),
      dryRun: options.dryRun,
      read: letters.length,
      resent: options.dryRun ? 0 : toSend.length,
      alreadyReplayed,
      fromEarlierReplays: fromEarlierReplays.length,
      withoutSource: letters.length - withSource.length,
      byReason: [...counts.values()],
      failedAgain,
    };
  } finally {
    await producer.disconnect();
    await admin.disconnect();
  }
};

const main = async (argv: readonly string[]): Promise<void> => {
  const topic = argValue(argv, 'topic');
  const since = argValue(argv, 'since');
  if (!topic || !since || Number.isNaN(Date.parse(since))) {
    throw new Error(
      'usage: npm run dlq:replay -- --topic <dlq topic> --since <ISO time> [--until <ISO>] [--key-prefix <p>] [--retry-failed] [--dry-run]',
    );
  }
  const until = argValue(argv, 'until');
  const endpoints = await resolveEndpoints();
  const redis = createRedis({
    url: endpoints.redisUrl,
    keyPrefix: process.env.REDIS_KEY_PREFIX ?? 'sft:',
  });
  try {
    const report = await replayDeadLetters(
      {
        brokers: endpoints.kafkaBrokers,
        topic,
        sinceMs: Date.parse(since),
        ...(until ? { untilMs: Date.parse(until) } : {}),
        ...(argValue(argv, 'key-prefix') ? { keyPrefix: argValue(argv, 'key-prefix') } : {}),
        dryRun: argv.includes('--dry-run'),
        retryFailed: argv.includes('--retry-failed'),
        waitMs: Number(argValue(argv, 'wait-ms') ?? 30_000),
      },
      redis,
    );
    console.log(JSON.stringify(report, null, 2));
  } finally {
    await redis.quit();
  }
};

if (require.main === module) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
