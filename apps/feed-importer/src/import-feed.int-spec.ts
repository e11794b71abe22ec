import 'reflect-metadata';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Kafka, logLevel } from 'kafkajs';
import { BankTransferReceivedSchema, TOPICS, type BankTransferReceived } from '@scamflow/contracts';
import { expectEventually } from '../../../test/support/expect-eventually';
import { testServers } from '../../../test/support/test-env';
import { loadFeedImporterConfig } from './feed-importer.config';
import { ImportFeedService, type ImportSummary } from './import-feed.service';
import { importJobOf } from './import-job';
import { KafkaFeedSink } from './kafka-feed.sink';

const ROOT = join(__dirname, '..', '..', '..');
const DATA = join(ROOT, '..', 'shared', 'data');
const AMLWORLD_FILE = join(DATA, 'amlworld-hi-small-sample', 'HI-Small_Trans_sample.csv');
const AMLSIM_DIR = join(DATA, 'amlsim-20k-fanin200');
const SAML_D_FILE = join(DATA, 'saml-d-sample-1k', 'SAML-D_sample_1k.csv');
const TOPIC = TOPICS.bankTransferReceived;
const LIMIT = '2000';

type Offsets = ReadonlyMap<number, bigint>;
interface Published {
  readonly key: string;
  readonly event: BankTransferReceived;
}

describe(ImportFeedService.name, () => {
  const brokers = testServers().kafkaBrokers;
  const kafka = new Kafka({ clientId: 'feed-importer-int-spec', brokers, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  let workDir: string;

  beforeAll(async () => {
    await admin.connect();
    workDir = await mkdtemp(join(tmpdir(), 'feed-importer-'));
  });

  afterAll(async () => {
    await admin.disconnect();
    await rm(workDir, { recursive: true, force: true });
  });

  const endOffsets = async (): Promise<Offsets> =>
    new Map((await admin.fetchTopicOffsets(TOPIC)).map((p) => [p.partition, BigInt(p.high)]));

  /** Reads back exactly the messages written between two offset snapshots, whoever else writes the topic. */
  const readBetween = async (from: Offsets, to: Offsets): Promise<Published[]> => {
    const expected = [...to].reduce((sum, [p, high]) => sum + Number(high - (from.get(p) ?? 0n)), 0);
    const received: Published[] = [];
    const consumer = kafka.consumer({
      groupId: `feed-importer-int-spec-${Date.now()}`,
      maxWaitTimeInMs: 100,
    });
    await consumer.connect();
    try {
      await consumer.subscribe({ topic: TOPIC });
      await consumer.run({
        eachMessage: ({ partition, message }) => {
          const offset = BigInt(message.offset);
          if (offset >= (from.get(partition) ?? 0n) && offset < (to.get(partition) ?? 0n)) {
            const value: unknown = JSON.parse(message.value?.toString('utf8') ?? 'null');
            received.push({
              key: message.key?.toString('utf8') ?? '',
              event: BankTransferReceivedSchema.parse(value),
            });
          }
          return Promise.resolve();
        },
      });
      for (const [partition, offset] of from)
        consumer.seek({ topic: TOPIC, partition, offset: offset.toString() });
      await expectEventually(() => expect(received).toHaveLength(expected), { timeoutMs: 60_000 });
    } finally {
      await consumer.disconnect();
    }
    return received;
  };

  const importInProcess = async (args: string[]): Promise<ImportSummary> => {
    const request = loadFeedImporterConfig([...args, '--brokers', brokers.join(','), '--no-progress']);
    if (request.help) throw new Error('unexpected --help');
    const sink = new KafkaFeedSink(request.config.brokers, TOPIC);
    try {
      return await new ImportFeedService(sink).execute(importJobOf(request.config));
    } finally {
      await sink.close();
    }
  };

  /** Runs the CLI as operators do, in its own process. */
  const importWithCli = async (args: string[]): Promise<string> => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', join(ROOT, 'apps', 'feed-importer', 'src', 'main.ts'), ...args, '--no-progress'],
      { cwd: ROOT, env: { ...process.env, KAFKA_BROKERS: brokers.join(',') } },
    );
    return stdout;
  };

  const byId = (published: Published[]) => new Map(published.map((p) => [p.event.transferId, p]));

  it('publishes the AMLworld sample as valid bank transfers, and a re-import yields the same ids', async () => {
    const labelsOut = join(workDir, 'amlworld-labels.jsonl');
    const before = await endOffsets();
    const summary = await importInProcess([
      'amlworld',
      AMLWORLD_FILE,
      '--limit',
      LIMIT,
      '--labels-out',
      labelsOut,
    ]);
    const middle = await endOffsets();
    const stdout = await importWithCli(['amlworld', AMLWORLD_FILE, '--limit', LIMIT]);
    const after = await endOffsets();

    // The first 2,000 rows hold 2 Bitcoin rows (1156 and 1468), which are counted and skipped.
    expect(summary).toMatchObject({
      rowsRead: 2000,
      published: 1998,
      skipped: { 'virtual-asset': 2 },
      rejected: {},
    });
    expect(stdout).toMatch(/published\s+1,998/);

    const first = byId(await readBetween(before, middle));
    expect(first.size).toBe(1998);
    expect(first.get('amlworld:HI-Small_Trans_sample:2')).toEqual({
      key: '8000F4580',
      event: {
        schemaVersion: 1,
        reportedBy: '3208',
        transferId: 'amlworld:HI-Small_Trans_sample:2',
        bookedAt: '2022-09-01T00:20:00Z',
        amount: { value: '0.01', currency: 'USD' },
        debtor: { accountId: '8000F4580', bankId: '3208', country: 'US' },
        creditor: { accountId: '8000F5340', bankId: '1', country: 'US' },
      },
    });
    // Row 1174 is cross-currency (52.11 EUR received for 61.06 USD paid); row 1175 pays in euro.
    expect(first.get('amlworld:HI-Small_Trans_sample:1174')?.event.amount).toEqual({
      value: '61.06',
      currency: 'USD',
    });
    expect(first.get('amlworld:HI-Small_Trans_sample:1175')?.event).toMatchObject({
      amount: { value: '52.11', currency: 'EUR' },
      creditor: { accountId: '80064C9B0', bankId: '11' },
    });
    expect(first.has('amlworld:HI-Small_Trans_sample:1156')).toBe(false);

    const second = byId(await readBetween(middle, after));
    expect([...second.keys()].sort()).toEqual([...first.keys()].sort());
    expect(second.get('amlworld:HI-Small_Trans_sample:1175')).toEqual(
      first.get('amlworld:HI-Small_Trans_sample:1175'),
    );

    const labels = (await readFile(labelsOut, 'utf8')).trim().split('\n');
    expect(labels).toHaveLength(1998);
    expect(JSON.parse(labels[1] ?? '')).toEqual({
      reportedBy: '3208',
      transferId: 'amlworld:HI-Small_Trans_sample:2',
      isLaundering: false,
    });
  });

  it('publishes the AMLSim sample at the configured bank, one step per day, with the same ids on re-import', async () => {
    const args = ['amlsim', AMLSIM_DIR, '--limit', LIMIT, '--bank', 'SIMBANK', '--start-date', '2024-03-01'];
    const before = await endOffsets();
    const summary = await importInProcess(args);
    const middle = await endOffsets();
    await importInProcess(args);
    const after = await endOffsets();

    expect(summary).toMatchObject({ rowsRead: 2000, published: 2000, skipped: {}, rejected: {} });
    const first = byId(await readBetween(before, middle));
    expect(first.get('amlsim:amlsim-20k-fanin200:6')).toEqual({
      key: '171',
      event: {
        schemaVersion: 1,
        reportedBy: 'SIMBANK',
        transferId: 'amlsim:amlsim-20k-fanin200:6',
        bookedAt: '2024-03-03T00:00:00.000Z',
        amount: { value: '133.58', currency: 'USD' },
        debtor: { accountId: '171', bankId: 'SIMBANK', country: 'US' },
        creditor: { accountId: '9664', bankId: 'SIMBANK', country: 'US' },
      },
    });
    const second = byId(await readBetween(middle, after));
    expect([...second.keys()].sort()).toEqual([...first.keys()].sort());
  });

  it('publishes the SAML-D sample with each party at its location’s bank, labels beside it, same ids on re-import', async () => {
    const labelsOut = join(workDir, 'saml-d-labels.jsonl');
    const before = await endOffsets();
    const stdout = await importWithCli(['saml-d', SAML_D_FILE, '--labels-out', labelsOut]);
    const middle = await endOffsets();
    await importWithCli(['saml-d', SAML_D_FILE]);
    const after = await endOffsets();

    expect(stdout).toMatch(/published\s+1,000/);
    const first = byId(await readBetween(before, middle));
    expect(first.size).toBe(1000);
    expect(first.get('saml-d:SAML-D_sample_1k:1')).toEqual({
      key: '1782263940',
      event: {
        schemaVersion: 1,
        reportedBy: 'SAMLD-IT',
        transferId: 'saml-d:SAML-D_sample_1k:1',
        bookedAt: '2022-12-09T11:38:54Z',
        amount: { value: '8822.67', currency: 'GBP' },
        debtor: { accountId: '1782263940', bankId: 'SAMLD-IT', country: 'IT' },
        creditor: { accountId: '3455276355', bankId: 'SAMLD-GB', country: 'GB' },
      },
    });
    const crossBorder = [...first.values()].filter(
      (p) => p.event.debtor.country !== p.event.creditor.country,
    );
    expect(crossBorder.length).toBeGreaterThan(50);
    const second = byId(await readBetween(middle, after));
    expect([...second.keys()].sort()).toEqual([...first.keys()].sort());

    const labels = (await readFile(labelsOut, 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { isLaundering: boolean; launderingType: string });
    expect(labels).toHaveLength(1000);
    expect(
      labels
        .filter((l) => l.isLaundering)
        .map((l) => l.launderingType)
        .sort(),
    ).toEqual(['Fan_Out', 'Layered_Fan_In', 'Scatter-Gather', 'Smurfing', 'Smurfing']);
  });
});
