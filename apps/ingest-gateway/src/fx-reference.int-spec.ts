import { randomUUID } from 'node:crypto';
import type { INestMicroservice } from '@nestjs/common';
import type Redis from 'ioredis';
import {
  DEAD_LETTER_HEADERS,
  TOPICS,
  TransferAcceptedSchema,
  deadLetterTopicOf,
  type BankTransferReceived,
  type FxRatePublished,
  type TransferAccepted,
} from '@scamflow/contracts';
import { startGroupsAtEnd } from '@scamflow/infra';
import { FxRateRepository, createRedis, redisKeys } from '@scamflow/rolling-state';
import { expectEventually } from '../../../test/support/expect-eventually';
import { startPipeline, stopPipeline } from '../../../test/support/pipeline-apps';
import { serviceEnv, startServiceGroupsAtEnd, testServers } from '../../../test/support/test-env';
import { TopicProbe } from '../../../test/support/topic-probe';

const run = randomUUID().slice(0, 8);
const BANK = `FX${run}`.toUpperCase();
const MIN = 60_000;
/** Positioning the run's consumer groups (startServiceGroupsAtEnd) takes long on a busy local stack. */
const SETUP_TIMEOUT_MS = 240_000;
const t0 = Math.floor((Date.now() - 3 * 60 * MIN) / MIN) * MIN;
const at = (minutes: number) => new Date(t0 + minutes * MIN).toISOString();
const fxDlq = deadLetterTopicOf(TOPICS.fxRatePublished);

const rate = (value: string, validFrom: string): FxRatePublished => ({
  schemaVersion: 1,
  base: 'THB',
  quote: 'USD',
  rate: value,
  validFrom,
  source: `BOT-${run}`,
});
const early = rate('0.0280', at(0));
const late = rate('0.029', at(60));

const transfer = (name: string, value: string, currency: string, bookedAt: string): BankTransferReceived => ({
  schemaVersion: 1,
  reportedBy: BANK,
  transferId: `${name}-${run}`,
  bookedAt,
  amount: { value, currency },
  debtor: { accountId: `payer-${run}`, bankId: BANK, country: 'TH' },
  creditor: { accountId: `payee-${name}-${run}`, bankId: BANK, country: 'TH' },
});
const transfers = {
  /** Between the two rates: the early one applies. */
  betweenRates: transfer('between', '1000.00', 'THB', at(10)),
  /** Exactly at the late rate's validFrom: the late one applies. */
  atLateRate: transfer('at-late', '1234.56', 'THB', at(60)),
  /** Before any THB rate. */
  beforeRates: transfer('before', '500.00', 'THB', at(-5)),
  /** No SGD rate was ever published. */
  noSgdRate: transfer('sgd', '100.00', 'SGD', at(30)),
  /** Already in the reference currency. */
  inUsd: transfer('usd', '42.10', 'USD', at(30)),
};
const canonicalId = (t: BankTransferReceived) => `bank:${BANK}:${t.transferId}`;

describe('ingest-gateway: FX reference amounts', () => {
  const servers = testServers();
  const env = serviceEnv(run);
  let apps: INestMicroservice[] = [];
  let probe: TopicProbe;
  let redis: Redis;
  let repository: FxRateRepository;

  beforeAll(async () => {
    // The accepted-transfer topic has a long history on a reused stack: the probe starts at its end.
    const probeGroup = `fx-reference-probe-${run}`;
    const probeTopics = [TOPICS.transferAccepted, fxDlq];
    await Promise.all([
      startServiceGroupsAtEnd(env),
      startGroupsAtEnd(servers.kafkaBrokers, [{ groupId: probeGroup, topics: probeTopics }]),
    ]);
    apps = await startPipeline(env, ['ingest-gateway']);
    probe = new TopicProbe(servers.kafkaBrokers);
    await probe.start(probeTopics, probeGroup);
    redis = createRedis({ url: servers.redisUrl, keyPrefix: env['REDIS_KEY_PREFIX'] ?? '' });
    repository = new FxRateRepository(redis);

    const key = 'THB:USD';
    await probe.produce(TOPICS.fxRatePublished, [
      { key, value: JSON.stringify(early) },
      { key, value: JSON.stringify(late) },
      // Re-delivered, with the same instant in another offset and a trailing zero: still the same rate.
      { key, value: JSON.stringify({ ...late, rate: '0.0290', validFrom: at(60).replace('Z', '+00:00') }) },
      { key, value: JSON.stringify(late) },
      { key: `invalid-${run}`, value: JSON.stringify({ ...late, rate: 0.029 }) },
    ]);
    // Transfers are looked up when they arrive, so wait until the rates are stored.
    await expectEventually(async () => {
      const [latest] = await repository.findRates([{ base: 'THB', quote: 'USD', atMs: Date.now() }]);
      expect(latest?.rate).toBe('0.029');
    });
    await probe.produce(
      TOPICS.bankTransferReceived,
      Object.values(transfers).map((t) => ({ key: t.debtor.accountId, value: JSON.stringify(t) })),
    );
  }, SETUP_TIMEOUT_MS);

  afterAll(async () => {
    await stopPipeline(apps);
    await probe?.stop();
    await redis?.quit();
  });

  const accepted = async (t: BankTransferReceived): Promise<TransferAccepted> =>
    expectEventually(() => {
      // Keyed by creditor account, which is unique per transfer here: only this run's messages are parsed.
      const key = `${BANK}:${t.creditor.accountId}`;
      const found = probe
        .on(TOPICS.transferAccepted)
        .filter((m) => m.key?.toString() === key)
        .map((m) => TransferAcceptedSchema.parse(JSON.parse(m.value?.toString() ?? 'null')))
        .filter((a) => a.transferId === canonicalId(t));
      expect(found).toHaveLength(1);
      return found[0] as TransferAccepted;
    });

  it('stores the same rate delivered three times once', async () => {
    expect(await redis.zcard(redisKeys.fxRates('THB', 'USD'))).toBe(2);
  });

  it('converts with the latest rate valid at the booking time', async () => {
    expect((await accepted(transfers.betweenRates)).reference).toEqual({
      status: 'converted',
      amount: { amountMinor: '2800', currency: 'USD', scale: 2 },
      rate: '0.028',
      rateValidFrom: at(0),
      rateSource: `BOT-${run}`,
    });
    // 1,234.56 THB × 0.029 = 35.80224 USD → 35.80
    expect((await accepted(transfers.atLateRate)).reference).toEqual({
      status: 'converted',
      amount: { amountMinor: '3580', currency: 'USD', scale: 2 },
      rate: '0.029',
      rateValidFrom: at(60),
      rateSource: `BOT-${run}`,
    });
  });

  it('accepts transfers without a rate and says why on the transfer', async () => {
    const sgd = await accepted(transfers.noSgdRate);
    expect(sgd.amount).toEqual({ amountMinor: '10000', currency: 'SGD', scale: 2 });
    expect(sgd.reference).toEqual({ status: 'no-rate', reason: `no SGD→USD rate at or before ${at(30)}` });
    expect((await accepted(transfers.beforeRates)).reference).toEqual({
      status: 'no-rate',
      reason: `no THB→USD rate at or before ${at(-5)}`,
    });
  });

  it('converts amounts already in the reference currency at rate 1', async () => {
    expect((await accepted(transfers.inUsd)).reference).toEqual({
      status: 'converted',
      amount: { amountMinor: '4210', currency: 'USD', scale: 2 },
      rate: '1',
      rateValidFrom: at(30),
      rateSource: 'identity',
    });
  });

  it('dead-letters an invalid rate with its reason', async () => {
    const [dead, ...more] = await expectEventually(() => {
      const found = probe.on(fxDlq).filter((m) => m.key?.toString() === `invalid-${run}`);
      expect(found).not.toHaveLength(0);
      return found;
    });
    expect(more).toHaveLength(0);
    expect(dead?.headers[DEAD_LETTER_HEADERS.reason]).toMatch(
      /expected string, received number\n\s+→ at rate/,
    );
    expect(dead?.headers[DEAD_LETTER_HEADERS.sourceTopic]).toBe(TOPICS.fxRatePublished);
  });
});
