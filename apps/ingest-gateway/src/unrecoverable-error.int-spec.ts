import { randomUUID } from 'node:crypto';
import { TOPICS, TransferAcceptedSchema, type BankTransferReceived } from '@scamflow/contracts';
import { startGroupsAtEnd } from '@scamflow/infra';
import { ServiceProcess } from '../../../test/drills/service-process';
import { expectEventually } from '../../../test/support/expect-eventually';
import { testServers } from '../../../test/support/test-env';
import { TopicProbe } from '../../../test/support/topic-probe';

const run = randomUUID().slice(0, 8);
const BANK = `UE${run}`.toUpperCase();
const servers = testServers();

const transfer: BankTransferReceived = {
  schemaVersion: 1,
  reportedBy: BANK,
  transferId: `unrecoverable-${run}`,
  bookedAt: new Date(Date.now() - 60_000).toISOString(),
  amount: { value: '1500.00', currency: 'THB' },
  debtor: { accountId: `payer-${run}`, bankId: BANK, country: 'TH' },
  creditor: { accountId: `payee-${run}`, bankId: BANK, country: 'TH' },
};

describe('a service whose consumer fails for good', () => {
  const groupId = `ingest-unrecoverable-${run}`;
  const probeGroup = `probe-unrecoverable-${run}`;
  const env = {
    KAFKA_BROKERS: servers.kafkaBrokers.join(','),
    REDIS_KEY_PREFIX: `test-${run}:`,
    INGEST_GROUP_ID: groupId,
    // Topics this run does not position start at their end, so the service reads only this run's message.
    CONSUMER_START_AT: 'end',
  };
  let probe: TopicProbe;
  const processes: ServiceProcess[] = [];

  beforeAll(async () => {
    await startGroupsAtEnd(servers.kafkaBrokers, [
      { groupId, topics: [TOPICS.bankTransferReceived] },
      { groupId: probeGroup, topics: [TOPICS.transferAccepted] },
    ]);
    probe = new TopicProbe(servers.kafkaBrokers);
    await probe.start([TOPICS.transferAccepted], probeGroup);
  }, 120_000);

  afterAll(async () => {
    await Promise.all(processes.map((p) => p.stop()));
    await probe?.stop();
  });

  it('turns unready, exits non-zero, and after a restart the batch it could not handle is not lost', async () => {
    // Redis unreachable: every batch fails (reference amounts need the FX rates in Redis).
    const broken = new ServiceProcess('ingest-gateway', {
      ...env,
      REDIS_URL: 'redis://127.0.0.1:1',
      CONSUMER_RETRIES: '0',
      CONSUMER_RESTART_BUDGET_MS: '4000',
    });
    processes.push(broken);
    await expectEventually(async () => expect((await broken.get('/health/live'))?.status).toBe(200), {
      timeoutMs: 60_000,
    });
    await probe.produce(TOPICS.bankTransferReceived, [
      { key: transfer.debtor.accountId, value: JSON.stringify(transfer) },
    ]);

    const ready = await expectEventually(
      async () => {
        const response = await broken.get('/health/ready');
        expect(response?.status).toBe(503);
        expect(response?.body).toContain('"redis":{"status":"down"');
        return response;
      },
      { timeoutMs: 30_000 },
    );
    expect(ready?.status).toBe(503);
    expect(await broken.exited).toBe(70);
    // The real error reached the log, not "[object Object]".
    const log = broken.output.join('\n');
    expect(log).toContain('restart budget exhausted');
    expect(log).toMatch(/BatchHandlingError|MaxRetriesPerRequestError|ECONNREFUSED/);
    expect(log).not.toContain('[object Object]');
    expect(probe.on(TOPICS.transferAccepted).filter((m) => m.value?.includes(transfer.transferId))).toEqual(
      [],
    );

    const fixed = new ServiceProcess('ingest-gateway', { ...env, REDIS_URL: servers.redisUrl });
    processes.push(fixed);
    const accepted = await expectEventually(
      () => {
        const mine = probe
          .on(TOPICS.transferAccepted)
          .map((m) => TransferAcceptedSchema.parse(JSON.parse(m.value?.toString('utf8') ?? 'null')))
          .filter((t) => t.transferId === `bank:${BANK}:${transfer.transferId}`);
        expect(mine).toHaveLength(1);
        return mine;
      },
      { timeoutMs: 90_000, intervalMs: 500 },
    );
    expect(accepted[0]?.amount).toMatchObject({ amountMinor: '150000', currency: 'THB' });
    await expectEventually(async () => expect((await fixed.get('/health/ready'))?.status).toBe(200), {
      timeoutMs: 30_000,
    });
  }, 300_000);
});
