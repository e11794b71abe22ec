import {
  AccountFactObservedSchema,
  BankTransferReceivedSchema,
  TOPICS,
  VaTransferReceivedSchema,
  VictimReportFiledSchema,
  FxRatePublishedSchema,
} from '@scamflow/contracts';
import type { z } from 'zod';
import { BackgroundWorld } from './background-traffic';
import { OPERATION_LEAD_MS, buildScamOperation } from './scam-operation';
import { personCountFor, type Scenario } from './scenarios';
import { SeededRandom } from './seeded-random';
import { bankAccountKey, bySimTime, SimItemFactory, type FeedTopic, type SimItem } from './sim-item';
import { IdSequence, USD_REFERENCE_RATES, type SimBankAccount } from './sim-world';

export const GROUND_TRUTH_STREAM = 'ground-truth';
export type OutputStream = FeedTopic | typeof GROUND_TRUTH_STREAM;

/** One output line: a validated feed event (with its Kafka key) or a ground-truth record. */
export interface SimulatedLine {
  readonly stream: OutputStream;
  readonly key: string;
  readonly line: string;
}

export interface SimulationRequest {
  readonly scenario: Scenario;
  readonly seed: number;
  readonly transfers?: number;
  /** Written into every id and address (see IdSequence), so repeated runs on shared servers stay apart. */
  readonly namespace?: string;
  /** Start of simulated time instead of the scenario's (e.g. days ago, so the gateway takes nothing as future). */
  readonly startAt?: string;
}

export interface SimulationProgress {
  readonly day: number;
  readonly days: number;
}

const SCHEMAS: Readonly<Record<FeedTopic, z.ZodType>> = {
  [TOPICS.bankTransferReceived]: BankTransferReceivedSchema,
  [TOPICS.vaTransferReceived]: VaTransferReceivedSchema,
  [TOPICS.accountFactObserved]: AccountFactObservedSchema,
  [TOPICS.victimReportFiled]: VictimReportFiledSchema,
  [TOPICS.fxRatePublished]: FxRatePublishedSchema,
};

const DAY_MS = 24 * 60 * 60 * 1000;
const MINUTE_MS = 60_000;

/** Validates a feed event against its contract; an invalid event is a simulator bug, so it throws. */
const toLines = (item: SimItem): SimulatedLine[] => {
  if (item.kind === 'truth') {
    return [{ stream: GROUND_TRUTH_STREAM, key: '', line: JSON.stringify(item.truth) }];
  }
  const parsed = SCHEMAS[item.topic].safeParse(item.value);
  if (!parsed.success) {
    throw new Error(
      `simulated ${item.topic} event ${item.key} breaks its contract: ${parsed.error.issues
        .map((i) => `${i.path.join('.')}: ${i.message}`)
        .join('; ')}`,
    );
  }
  const lines: SimulatedLine[] = [{ stream: item.topic, key: item.key, line: JSON.stringify(parsed.data) }];
  if (item.truth) lines.push({ stream: GROUND_TRUTH_STREAM, key: '', line: JSON.stringify(item.truth) });
  return lines;
};

/**
 * Simulates a scenario day by day, in event-time order, holding only one day of background traffic and the
 * operations whose events are still to come (bounded memory; the population and its account facts are sized
 * by `personCountFor`, capped). Same scenario, seed and volume: same lines.
 */
export function* simulateFlows(
  request: SimulationRequest,
  onProgress?: (p: SimulationProgress) => void,
): Generator<SimulatedLine> {
  const { scenario, seed } = request;
  const transfers = request.transfers ?? scenario.transfers;
  const rng = new SeededRandom(seed);
  const factory = new SimItemFactory(rng, new IdSequence(rng, request.namespace));
  // Enough Thai people that every operation finds fresh victims (about 3 in 4 people bank in Thailand).
  const minimumPeople = scenario.operations * (scenario.victimsPerOperation[1] + 4) * 2;
  const world = new BackgroundWorld(factory, Math.max(personCountFor(transfers), minimumPeople), {
    lookAlikes: scenario.lookAlikes ?? false,
  });
  const start = Date.parse(request.startAt ?? scenario.startAt);

  // Operation start times are drawn up front; each operation is built when its lead window opens.
  const starts = Array.from(
    { length: scenario.operations },
    () => start + rng.int(0, scenario.days - 1) * DAY_MS + rng.int(8 * 60, 20 * 60) * MINUTE_MS,
  ).sort((a, b) => a - b);
  const victimsUsed = new Set<SimBankAccount>();
  const freeVictims = world.thaiPersons.filter(() => true);
  let built = 0;
  let pending: SimItem[] = [];

  const buildDueOperations = (until: number): void => {
    for (
      let next = starts[built];
      next !== undefined && next - OPERATION_LEAD_MS < until;
      next = starts[built]
    ) {
      built += 1;
      // Every third operation is a burst: more victims, all into one receiving account within the hour.
      const shape = built % 3 === 0 ? 'burst' : 'layered';
      const [fewest, most] = scenario.victimsPerOperation;
      const count = shape === 'burst' ? rng.int(most, most + 4) : rng.int(fewest, most);
      const victims: SimBankAccount[] = [];
      while (victims.length < count && freeVictims.length > 0) {
        const [victim] = freeVictims.splice(rng.int(0, freeVictims.length - 1), 1);
        if (victim !== undefined) {
          victims.push(victim);
          victimsUsed.add(victim);
        }
      }
      const operationId = `OP-${String(built).padStart(4, '0')}`;
      // Time scales in turn (no random draw: scenarios without them repeat earlier output byte for byte).
      const scales = scenario.muleTimeScales;
      const timeScale = scales && scales.length > 0 ? scales[(built - 1) % scales.length] : undefined;
      pending.push(
        ...buildScamOperation(factory, {
          operationId,
          startAt: next,
          victims,
          sizes: scenario.sizes,
          shape,
          ...(timeScale ? { timeScale } : {}),
          ...(scenario.reportShare !== undefined ? { reportShare: scenario.reportShare } : {}),
        }),
      );
    }
  };

  // Reference rates first, valid from a day before the run: every transfer finds its rate.
  for (const [base, rate] of USD_REFERENCE_RATES)
    yield* toLines(factory.fxRate(start - DAY_MS, base, rate, request.namespace));

  const perDay = Math.floor(transfers / scenario.days);
  for (let day = 0; day < scenario.days; day += 1) {
    const dayStart = start + day * DAY_MS;
    const dayEnd = dayStart + DAY_MS;
    buildDueOperations(dayEnd);
    const budget = day === scenario.days - 1 ? transfers - perDay * (scenario.days - 1) : perDay;
    const payDay = new Date(dayStart + 7 * 60 * MINUTE_MS).getUTCDate() === 25;
    const due = world.day(dayStart, budget, payDay);
    // The legitimate population's account facts, once (bounded by the population, not by the volume).
    if (day === 0) for (const fact of world.accountFacts(start)) due.push(fact);
    // Background items can spill past midnight (a remittance paid out hours later): they wait like the rest.
    const today = due.filter((item) => item.at < dayEnd);
    const later: SimItem[] = due.filter((item) => item.at >= dayEnd);
    for (const item of pending) (item.at < dayEnd ? today : later).push(item);
    pending = later;
    today.sort(bySimTime);
    for (const item of today) yield* toLines(item);
    onProgress?.({ day: day + 1, days: scenario.days });
  }
  buildDueOperations(Number.POSITIVE_INFINITY);
  pending.sort(bySimTime);
  for (const item of pending) yield* toLines(item);

  // Labels of the legitimate population (victims were labelled by their operation).
  const end = start + scenario.days * DAY_MS;
  const label = (accountKey: string, role: 'legit-hub' | 'normal'): SimulatedLine[] =>
    toLines(factory.truth(end, { record: 'account', accountKey, role }));
  for (const key of world.hubKeys()) yield* label(key, 'legit-hub');
  for (const person of world.persons)
    if (!victimsUsed.has(person)) yield* label(bankAccountKey(person), 'normal');
  for (const key of world.exchangeCustomerKeys()) yield* label(key, 'normal');
}
