import type { Producer } from 'kafkajs';
import { GROUND_TRUTH_STREAM, simulateFlows } from '../../../apps/scam-simulator/src/simulate-flows.service';
import type { Scenario } from '../../../apps/scam-simulator/src/scenarios';
import { canonicalTransferOf } from './feed-mapping';
import { tagFeedEvent } from './run-tag';

/** Roles the detection figures count as positives (account level). */
export const POSITIVE_ROLES: ReadonlySet<string> = new Set([
  'mule',
  'collector',
  'off-ramp',
  'hop-wallet',
  'foreign-beneficiary',
]);

export interface FeedMessage {
  readonly topic: string;
  readonly key: string;
  readonly value: string;
}

export interface ScenarioFeed {
  /** Feed events in simulated-time order, ids tagged for this run. */
  readonly messages: readonly FeedMessage[];
  /** Canonical ids (as the gateway makes them) of every transfer in the feed. */
  readonly transferIds: readonly string[];
  readonly eventsByTopic: Readonly<Record<string, number>>;
  readonly groundTruthRecords: number;
  /** Every account the ground truth labels, with its role. */
  readonly roles: ReadonlyMap<string, string>;
  /** Accounts of scam operations, with how fast the operation's mules forward (minutes, hours, days). */
  readonly timeScales: ReadonlyMap<string, string>;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null;

/** Simulates a scenario into memory (a standard run is ~110k events, ~60 MB of JSON). */
export const buildScenarioFeed = (
  scenario: Scenario,
  seed: number,
  transfers: number | undefined,
  tag: string,
): ScenarioFeed => {
  const messages: FeedMessage[] = [];
  const transferIds: string[] = [];
  const eventsByTopic: Record<string, number> = {};
  const roles = new Map<string, string>();
  const timeScales = new Map<string, string>();
  let groundTruthRecords = 0;
  const now = new Date();
  // The run's tag is also the simulator's namespace: accounts, devices and phones are the run's own, so a
  // long-lived graph does not pile every run's flows onto the same accounts (which turns them into hubs that
  // tracing stops at) and runs are not linked through shared identifiers.
  for (const line of simulateFlows({
    scenario,
    seed,
    namespace: tag,
    ...(transfers ? { transfers } : {}),
  })) {
    const parsed: unknown = JSON.parse(line.line);
    if (!isRecord(parsed)) continue;
    if (line.stream === GROUND_TRUTH_STREAM) {
      groundTruthRecords += 1;
      if (parsed['record'] === 'account') {
        roles.set(String(parsed['accountKey']), String(parsed['role']));
        if (typeof parsed['timeScale'] === 'string') {
          timeScales.set(String(parsed['accountKey']), parsed['timeScale']);
        }
      }
      continue;
    }
    const event = tagFeedEvent(line.stream, parsed, tag);
    const canonical = canonicalTransferOf(line.stream, event, now);
    if (canonical?.ok) transferIds.push(canonical.value.transferId);
    eventsByTopic[line.stream] = (eventsByTopic[line.stream] ?? 0) + 1;
    messages.push({ topic: line.stream, key: line.key, value: JSON.stringify(event) });
  }
  return { messages, transferIds, eventsByTopic, groundTruthRecords, roles, timeScales };
};

/**
 * Produces messages in order as fast as the broker takes them: slices of `batch` messages, one request per
 * slice carrying every topic in it, `inFlight` requests at a time.
 */
export const produceAll = async (
  producer: Producer,
  messages: readonly FeedMessage[],
  batch = 2_000,
  inFlight = 2,
): Promise<void> => {
  const slices: FeedMessage[][] = [];
  for (let i = 0; i < messages.length; i += batch) slices.push(messages.slice(i, i + batch));
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let slice = slices[next++]; slice !== undefined; slice = slices[next++]) {
      const byTopic = new Map<string, { key: string; value: string }[]>();
      for (const m of slice) {
        const list = byTopic.get(m.topic) ?? [];
        list.push({ key: m.key, value: m.value });
        byTopic.set(m.topic, list);
      }
      await producer.sendBatch({
        topicMessages: [...byTopic].map(([topic, list]) => ({ topic, messages: list })),
      });
    }
  };
  await Promise.all(Array.from({ length: inFlight }, () => worker()));
};
