import { randomUUID } from 'node:crypto';
import type { INestMicroservice } from '@nestjs/common';
import { CONSUMED_TOPICS, TOPICS, type BankTransferReceived } from '@scamflow/contracts';
import { startGroupsAtEnd } from '@scamflow/infra';
import { METRIC_NAMES, ObservabilityHttpServer } from '@scamflow/observability';
import { expectEventually } from '../../../test/support/expect-eventually';
import { startPipeline, stopPipeline } from '../../../test/support/pipeline-apps';
import { serviceEnv, testServers } from '../../../test/support/test-env';
import { TopicProbe } from '../../../test/support/topic-probe';

const run = randomUUID().slice(0, 8);
const BANK = `HM${run}`.toUpperCase();

const transfer = (name: string): BankTransferReceived => ({
  schemaVersion: 1,
  reportedBy: BANK,
  transferId: `${name}-${run}`,
  bookedAt: new Date(Date.now() - 60_000).toISOString(),
  amount: { value: '250.00', currency: 'THB' },
  debtor: { accountId: `payer-${run}`, bankId: BANK, country: 'TH' },
  creditor: { accountId: `payee-${run}`, bankId: BANK, country: 'TH' },
});

/** Sum of a series' samples whose labels include `labels`, from a Prometheus text exposition. */
const sampleSum = (exposition: string, name: string, labels: Record<string, string>): number =>
  exposition
    .split('\n')
    .filter((line) => line.startsWith(`${name}{`))
    .filter((line) => Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`)))
    .reduce((sum, line) => sum + Number(line.split(' ').at(-1)), 0);

describe('health and metrics endpoints of running services', () => {
  const servers = testServers();
  const services = serviceEnv(run);
  let apps: INestMicroservice[] = [];
  let probe: TopicProbe;

  const get = async (app: INestMicroservice | undefined, route: string) => {
    const port = app?.get(ObservabilityHttpServer).port;
    const res = await fetch(`http://127.0.0.1:${port}${route}`);
    return { status: res.status, body: await res.text() };
  };

  beforeAll(async () => {
    await startGroupsAtEnd(servers.kafkaBrokers, [
      { groupId: services.INGEST_GROUP_ID ?? '', topics: CONSUMED_TOPICS.ingestGateway },
      { groupId: services.GRAPH_WRITER_GROUP_ID ?? '', topics: CONSUMED_TOPICS.graphWriter },
    ]);
    apps = await startPipeline(services, ['ingest-gateway', 'graph-writer']);
    probe = new TopicProbe(servers.kafkaBrokers);
    await probe.start([]);
  }, 240_000);

  afterAll(async () => {
    await stopPipeline(apps);
    await probe?.stop();
  });

  it('reports ready services with their dependencies, and counts what they consumed, refused and wrote', async () => {
    const [ingest, writer] = apps;
    await expectEventually(async () => {
      const ready = await get(writer, '/health/ready');
      expect(ready.status).toBe(200);
      expect(JSON.parse(ready.body)).toMatchObject({
        status: 'ok',
        details: { kafkaConsumers: { status: 'up' }, neo4j: { status: 'up' } },
      });
      expect((await get(ingest, '/health/ready')).body).toContain('"redis":{"status":"up"}');
      expect((await get(ingest, '/health/live')).status).toBe(200);
    });

    await probe.produce(TOPICS.bankTransferReceived, [
      { key: `payer-${run}`, value: JSON.stringify(transfer('good')) },
      { key: `payer-${run}`, value: '{"schemaVersion": 1, "reportedBy": ' },
    ]);

    const metrics = await expectEventually(
      async () => {
        const { status, body } = await get(writer, '/metrics');
        expect(status).toBe(200);
        const consumed = { topic: TOPICS.transferAccepted, service: 'graph-writer' };
        expect(sampleSum(body, METRIC_NAMES.messagesConsumed, consumed)).toBeGreaterThanOrEqual(1);
        expect(
          sampleSum(body, `${METRIC_NAMES.neo4jTransaction}_count`, { operation: 'record-transfers' }),
        ).toBeGreaterThanOrEqual(1);
        expect(
          sampleSum(body, METRIC_NAMES.deadLetters, {
            topic: TOPICS.bankTransferReceived,
            service: 'ingest-gateway',
          }),
        ).toBeGreaterThanOrEqual(1);
        return body;
      },
      { timeoutMs: 90_000, intervalMs: 500 },
    );
    for (const name of Object.values(METRIC_NAMES)) expect(metrics).toContain(`# TYPE ${name} `);
    expect(
      sampleSum(metrics, `${METRIC_NAMES.batchDuration}_count`, { topic: TOPICS.transferAccepted }),
    ).toBeGreaterThanOrEqual(1);
    expect(metrics).toMatch(
      new RegExp(
        `${METRIC_NAMES.consumerLag}\\{[^}]*topic="${TOPICS.transferAccepted.replace(/\./g, '\\.')}"`,
      ),
    );
  }, 300_000);
});
