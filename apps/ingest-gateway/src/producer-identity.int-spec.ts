import { randomBytes, randomUUID } from 'node:crypto';
import type { INestMicroservice } from '@nestjs/common';
import {
  DEAD_LETTER_HEADERS,
  TOPICS,
  deadLetterTopicOf,
  type BankTransferReceived,
} from '@scamflow/contracts';
import { signedHeaders } from '@scamflow/messaging';
import { expectEventually } from '../../../test/support/expect-eventually';
import { GraphProbe } from '../../../test/support/graph-probe';
import { startPipeline, stopPipeline } from '../../../test/support/pipeline-apps';
import { RawProducer, type Landed } from '../../../test/support/raw-producer';
import { serviceEnv, startServiceGroupsAtEnd, testServers } from '../../../test/support/test-env';
import { TopicProbe } from '../../../test/support/topic-probe';

const run = randomUUID().slice(0, 8);
const BANK_A = `PA${run}`.toUpperCase();
const BANK_B = `PB${run}`.toUpperCase();
const keyA = randomBytes(32);
const keyB = randomBytes(32);
const source = TOPICS.bankTransferReceived;
const dlq = deadLetterTopicOf(source);
/** One key: every message lands on one partition, in order, so the last one proves the others were handled. */
const key = `identity-${run}`;

const transfer = (reportedBy: string, name: string): BankTransferReceived => ({
  schemaVersion: 1,
  reportedBy,
  transferId: `${name}-${run}`,
  bookedAt: new Date(Date.now() - 60 * 60_000).toISOString(),
  amount: { value: '2500.00', currency: 'THB' },
  debtor: { accountId: `payer-${run}`, bankId: reportedBy, country: 'TH' },
  creditor: { accountId: `payee-${run}`, bankId: reportedBy, country: 'TH' },
});
const graphId = (bank: string, name: string) => `bank:${bank}:${name}-${run}`;
const bytes = (value: unknown) => Buffer.from(JSON.stringify(value));

const asB = bytes(transfer(BANK_B, 'claims-b'));
const honestA = bytes(transfer(BANK_A, 'honest-a'));
const altered = bytes(transfer(BANK_A, 'altered'));
const unsigned = bytes(transfer(BANK_A, 'unsigned'));
const marker = bytes(transfer(BANK_B, 'marker-b'));

const impostors = [
  {
    name: "bank A's key publishing as bank B",
    message: { key, value: asB, headers: signedHeaders(BANK_A, keyA, asB) },
    reason: new RegExp(`${BANK_A} may not report as ${BANK_B}`),
    graphId: graphId(BANK_B, 'claims-b'),
  },
  {
    name: 'bank A naming itself as producer but signing with no key of its own',
    message: { key, value: asB, headers: signedHeaders(BANK_A, randomBytes(32), asB) },
    reason: /signature does not verify/,
    graphId: graphId(BANK_B, 'claims-b'),
  },
  {
    name: 'a message altered after bank A signed it (amount raised)',
    message: {
      key,
      value: Buffer.from(altered.toString().replace('2500.00', '9500.00')),
      headers: signedHeaders(BANK_A, keyA, altered),
    },
    reason: /signature does not verify/,
    graphId: graphId(BANK_A, 'altered'),
  },
  {
    name: 'an unsigned message',
    message: { key, value: unsigned },
    reason: /not signed/,
    graphId: graphId(BANK_A, 'unsigned'),
  },
  {
    name: 'a producer with no key on record',
    message: { key, value: unsigned, headers: signedHeaders('NOBODY', randomBytes(32), unsigned) },
    reason: /unknown producer "NOBODY"/,
    graphId: graphId(BANK_A, 'unsigned'),
  },
];

describe('ingest-gateway: producer identity (signed feeds on the local broker)', () => {
  const servers = testServers();
  const landed = new Map<string, Landed>();
  let honestLanded: Landed;
  let apps: INestMicroservice[] = [];
  let probe: TopicProbe;
  let producer: RawProducer;
  let graph: GraphProbe;

  beforeAll(async () => {
    const services = {
      ...serviceEnv(run),
      INGEST_PRODUCER_KEYS: JSON.stringify({
        [BANK_A]: keyA.toString('base64'),
        [BANK_B]: keyB.toString('base64'),
      }),
    };
    await startServiceGroupsAtEnd(services);
    apps = await startPipeline(services, ['ingest-gateway', 'graph-writer']);
    probe = new TopicProbe(servers.kafkaBrokers);
    await probe.start([dlq]);
    graph = new GraphProbe();
    producer = new RawProducer(servers.kafkaBrokers);
    await producer.connect();
    const sent = await producer.sendOnOneKey(source, [
      ...impostors.map((c) => c.message),
      { key, value: honestA, headers: signedHeaders(BANK_A, keyA, honestA) },
      { key, value: marker, headers: signedHeaders(BANK_B, keyB, marker) },
    ]);
    impostors.forEach((c, i) => landed.set(c.name, sent[i] as Landed));
    honestLanded = sent[impostors.length] as Landed;
  }, 240_000);

  afterAll(async () => {
    await stopPipeline(apps);
    await probe?.stop();
    await producer?.disconnect();
    await graph?.close();
  });

  it.each(impostors)(
    'dead-letters $name, saying why, with its original bytes',
    async ({ name, reason, message }) => {
      const at = landed.get(name);
      if (!at) throw new Error(`${name} was not produced`);
      const dead = await probe.soleDeadLetterOf(source, at);
      expect(dead.headers[DEAD_LETTER_HEADERS.reason]).toMatch(reason);
      expect(dead.headers[DEAD_LETTER_HEADERS.rejectedBy]).toBe('ingest-gateway');
      expect(dead.value?.equals(message.value)).toBe(true);
    },
  );

  it('records what each bank signed as itself, and none of the impostors', async () => {
    // The marker is the last message on the partition: once it is in the graph, everything before was handled.
    await expectEventually(async () => expect(await graph.copies(graphId(BANK_B, 'marker-b'))).toBe(1));
    expect(await graph.copies(graphId(BANK_A, 'honest-a'))).toBe(1);
    expect(probe.deadLettersOf(source, honestLanded)).toHaveLength(0);
    expect(await graph.bookedAt(impostors.map((c) => c.graphId))).toEqual(new Map());
  });
});
