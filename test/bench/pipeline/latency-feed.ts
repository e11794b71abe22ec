import type { Producer } from 'kafkajs';
import { accountKeyOf, bankTransferIdOf, TOPICS, type BankTransferReceived } from '@scamflow/contracts';
import { formatMinor } from '@scamflow/money';
import { SeededRandom } from '../../../apps/scam-simulator/src/seeded-random';
import { sleep } from '../bench-support';

export interface PacedFeedOptions {
  readonly tag: string;
  readonly seed: number;
  /** Offered rate, transfers per second (planted transfers included). */
  readonly ratePerSecond: number;
  readonly seconds: number;
  /** Fan-in mule patterns started per second. */
  readonly patternsPerSecond: number;
  /** Background population: large, so background accounts rarely look like mules. */
  readonly accounts: number;
}

export interface PacedFeedResult {
  /** Canonical transfer id → `performance.now()` when its produce request was sent. */
  readonly producedAt: ReadonlyMap<string, number>;
  readonly produced: number;
  readonly plantedMules: ReadonlySet<string>;
  readonly seconds: number;
  readonly achievedRatePerSecond: number;
}

const BANKS = ['KASITHBK', 'BKKBTHBK', 'SCBLTHBX', 'KRTHTHBK', 'GSBATHBK'] as const;
/** Senders per planted mule, and when each inflow and the onward transfer go out after the pattern starts. */
const PATTERN_SENDERS = 6;
const INFLOW_SPACING_MS = 100;
const OUTFLOW_AFTER_MS = 800;
const TICK_MS = 10;

interface Scheduled {
  readonly dueMs: number;
  readonly build: (atMs: number) => BankTransferReceived;
}

/**
 * A paced producer at a fixed offered rate: background transfers between random accounts of a large
 * population, with fan-in pass-through mules planted at a steady rate (six senders pay a new account within
 * 0.6 s, which forwards 95 % of it 0.8 s after the first payment). Booking time is the wall clock at send.
 */
export const runPacedFeed = async (producer: Producer, o: PacedFeedOptions): Promise<PacedFeedResult> => {
  const random = new SeededRandom(o.seed);
  const producedAt = new Map<string, number>();
  const plantedMules = new Set<string>();
  let sequence = 0;
  const party = (accountId: string, bankId: string) => ({ accountId, bankId, country: 'TH' });
  const transfer = (
    from: ReturnType<typeof party>,
    to: ReturnType<typeof party>,
    minor: bigint,
    atMs: number,
  ): BankTransferReceived => {
    sequence += 1;
    return {
      schemaVersion: 1,
      reportedBy: from.bankId,
      transferId: `L${o.tag}-${sequence}`,
      bookedAt: new Date(atMs).toISOString(),
      amount: { value: formatMinor(minor, 2), currency: 'THB' },
      debtor: from,
      creditor: to,
    };
  };
  const bank = () => BANKS[random.int(0, BANKS.length - 1)] ?? 'KASITHBK';
  const background = (atMs: number) => {
    const n = () => random.int(0, o.accounts - 1);
    const a = n();
    const b = n();
    return transfer(
      party(`LB${o.tag}-${a}`, BANKS[a % BANKS.length] ?? 'KASITHBK'),
      party(`LB${o.tag}-${b}`, BANKS[b % BANKS.length] ?? 'KASITHBK'),
      BigInt(random.int(100, 2_000_000)),
      atMs,
    );
  };

  const scheduled: Scheduled[] = [];
  const plant = (startMs: number, index: number) => {
    const mule = party(`LM${o.tag}-${index}`, bank());
    plantedMules.add(accountKeyOf(mule.bankId, mule.accountId));
    const amounts = Array.from({ length: PATTERN_SENDERS }, () => BigInt(random.int(1_000_000, 5_000_000)));
    amounts.forEach((minor, i) => {
      const sender = party(`LS${o.tag}-${index}-${i}`, bank());
      scheduled.push({
        dueMs: startMs + i * INFLOW_SPACING_MS,
        build: (at) => transfer(sender, mule, minor, at),
      });
    });
    const total = amounts.reduce((sum, a) => sum + a, 0n);
    const collector = party(`LC${o.tag}-${index % 50}`, bank());
    scheduled.push({
      dueMs: startMs + OUTFLOW_AFTER_MS,
      build: (at) => transfer(mule, collector, (total * 95n) / 100n, at),
    });
  };

  const started = performance.now();
  const endMs = started + o.seconds * 1000;
  const patternEveryMs = 1000 / o.patternsPerSecond;
  // Patterns start while there is time left for them to finish within the phase.
  for (let i = 0, at = started + 200; at + OUTFLOW_AFTER_MS < endMs; i += 1, at += patternEveryMs)
    plant(at, i);
  scheduled.sort((a, b) => a.dueMs - b.dueMs);

  let sent = 0;
  let nextPlanted = 0;
  const inFlight = new Set<Promise<unknown>>();
  let failure: unknown;
  for (let now = performance.now(); now < endMs && failure === undefined; now = performance.now()) {
    const due = Math.floor(((now - started) / 1000) * o.ratePerSecond) - sent;
    const wallMs = Date.now();
    const batch: BankTransferReceived[] = [];
    while (nextPlanted < scheduled.length && (scheduled[nextPlanted]?.dueMs ?? Infinity) <= now) {
      const item = scheduled[nextPlanted];
      nextPlanted += 1;
      if (item) batch.push(item.build(wallMs));
    }
    while (batch.length < due) batch.push(background(wallMs));
    if (batch.length > 0) {
      const sentAt = performance.now();
      for (const t of batch) producedAt.set(bankTransferIdOf(t.reportedBy, t.transferId), sentAt);
      sent += batch.length;
      const request: Promise<unknown> = producer
        .send({
          topic: TOPICS.bankTransferReceived,
          messages: batch.map((t) => ({ key: t.debtor.accountId, value: JSON.stringify(t) })),
        })
        .then(
          () => inFlight.delete(request),
          (error: unknown) => {
            failure = error;
            inFlight.delete(request);
          },
        );
      inFlight.add(request);
      // A broker slower than the offered rate shows as a lower achieved rate, not as unbounded memory.
      if (inFlight.size >= 20) await Promise.race(inFlight);
    }
    await sleep(TICK_MS);
  }
  await Promise.all(inFlight);
  if (failure !== undefined)
    throw failure instanceof Error ? failure : new Error('producing the paced feed failed');
  const seconds = (performance.now() - started) / 1000;
  return {
    producedAt,
    produced: sent,
    plantedMules,
    seconds: Number(seconds.toFixed(1)),
    achievedRatePerSecond: Math.round(sent / seconds),
  };
};
