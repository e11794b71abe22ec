import { randomUUID } from 'node:crypto';
import type { INestMicroservice } from '@nestjs/common';
import {
  DEAD_LETTER_HEADERS,
  TOPICS,
  deadLetterTopicOf,
  type BankTransferReceived,
} from '@scamflow/contracts';
import { expectEventually } from '../../../test/support/expect-eventually';
import { GraphProbe } from '../../../test/support/graph-probe';
import { startPipeline, stopPipeline } from '../../../test/support/pipeline-apps';
import { RawProducer, type Landed } from '../../../test/support/raw-producer';
import { serviceEnv, startServiceGroupsAtEnd, testServers } from '../../../test/support/test-env';
import { TopicProbe } from '../../../test/support/topic-probe';

const run = randomUUID().slice(0, 8);
const BANK = `H${run}`.toUpperCase();
const DAY_MS = 24 * 60 * 60_000;
/** Positioning the run's consumer groups (startServiceGroupsAtEnd) alone takes about 105 s here. */
const SETUP_TIMEOUT_MS = 240_000;
/** The gateway's default INGEST_MAX_MESSAGE_BYTES (serviceEnv does not set it). */
const MAX_MESSAGE_BYTES = 64 * 1024;
const source = TOPICS.bankTransferReceived;
const dlq = deadLetterTopicOf(source);
/** Every message below has this key, so all land on one partition, in this order. */
const key = `hostile-${run}`;

const transfer = (name: string): BankTransferReceived => ({
  schemaVersion: 1,
  reportedBy: BANK,
  transferId: `${name}-${run}`,
  bookedAt: new Date(Date.now() - 60 * 60_000).toISOString(),
  amount: { value: '1500.00', currency: 'THB' },
  debtor: { accountId: `payer-${run}`, bankId: BANK, country: 'TH' },
  creditor: { accountId: `payee-${run}`, bankId: BANK, country: 'TH' },
});
const graphId = (name: string) => `bank:${BANK}:${name}-${run}`;
const json = (value: unknown) => Buffer.from(JSON.stringify(value));
const withAmount = (name: string, value: string, currency: string) =>
  json({ ...transfer(name), amount: { value, currency } });

interface HostileCase {
  readonly name: string;
  readonly value: Buffer | null;
  readonly reason: RegExp;
  /** Canonical id it would get if it were (wrongly) accepted. */
  readonly graphId?: string;
}

const { creditor: _creditor, ...withoutCreditor } = transfer('missing');
const oversized = json({ ...transfer('oversized'), memo: 'x'.repeat(1_000_000) });
const [beforeHolder, afterHolder] = JSON.stringify({
  ...transfer('latin1'),
  debtor: { ...transfer('latin1').debtor, holderId: 'HOLDER' },
}).split('HOLDER');
/** "café" in Latin-1 inside an otherwise valid event: the é byte is not UTF-8. */
const notUtf8InString = Buffer.concat([
  Buffer.from(beforeHolder ?? ''),
  Buffer.from('caf\u00e9', 'latin1'),
  Buffer.from(afterHolder ?? ''),
]);
const OVERSIZED = 'a ~1 MB payload';

const cases: HostileCase[] = [
  {
    name: 'malformed JSON',
    value: Buffer.from(`{"schemaVersion":1,"transferId":"malformed-${run}",`),
    reason: /^malformed JSON: /,
  },
  {
    name: 'an amount as a JSON number',
    value: json({ ...transfer('float'), amount: { value: 1500.1, currency: 'THB' } }),
    reason: /expected string, received number\n\s+→ at amount\.value/,
    graphId: graphId('float'),
  },
  {
    name: 'identifiers as JSON numbers',
    value: json({
      ...transfer('numbers'),
      transferId: 4_200_000_001,
      debtor: { ...transfer('numbers').debtor, accountId: 1_234_567_890 },
    }),
    reason: /expected string, received number\n\s+→ at transferId[\s\S]*→ at debtor\.accountId/,
  },
  {
    name: 'a missing creditor',
    value: json(withoutCreditor),
    reason: /expected object, received undefined\n\s+→ at creditor/,
    graphId: graphId('missing'),
  },
  {
    name: 'a negative amount',
    value: withAmount('negative', '-1500.00', 'THB'),
    reason: /no sign.*\n\s+→ at amount\.value/,
    graphId: graphId('negative'),
  },
  {
    name: 'an amount above the plausibility limit',
    value: withAmount('absurd', '99999999999999999', 'THB'),
    reason: /^amount: above the plausibility limit of 10000000000000 THB$/,
    graphId: graphId('absurd'),
  },
  {
    name: 'three decimals in THB',
    value: withAmount('thb-decimals', '10.001', 'THB'),
    reason: /"10\.001" has 3 decimals; THB allows 2/,
    graphId: graphId('thb-decimals'),
  },
  {
    name: 'a decimal in JPY',
    value: withAmount('jpy-decimals', '1.5', 'JPY'),
    reason: /"1\.5" has 1 decimals; JPY allows 0/,
    graphId: graphId('jpy-decimals'),
  },
  {
    name: 'an unknown currency',
    value: withAmount('zzz', '10.00', 'ZZZ'),
    reason: /unknown currency "ZZZ"/,
    graphId: graphId('zzz'),
  },
  {
    name: 'a booking time days in the future',
    value: json({ ...transfer('future'), bookedAt: new Date(Date.now() + 3 * DAY_MS).toISOString() }),
    reason: /^bookedAt: .* is in the future/,
    graphId: graphId('future'),
  },
  {
    name: OVERSIZED,
    value: oversized,
    reason: new RegExp(
      `^message value is ${oversized.length} bytes, above the ${MAX_MESSAGE_BYTES}-byte limit$`,
    ),
    graphId: graphId('oversized'),
  },
  {
    name: 'binary garbage',
    value: Buffer.from([0xff, 0xfe, 0x00, 0x9c, 0x80, 0xc3, 0x28, 0x7b]),
    reason: /not valid UTF-8/,
  },
  {
    name: 'invalid UTF-8 inside a JSON string',
    value: notUtf8InString,
    reason: /not valid UTF-8/,
    graphId: graphId('latin1'),
  },
  { name: 'a tombstone (null value)', value: null, reason: /^empty message value$/ },
  { name: 'a JSON array', value: json([transfer('array')]), reason: /expected object, received array/ },
  { name: 'a JSON scalar', value: Buffer.from('42'), reason: /expected object, received number/ },
  {
    name: 'an unknown extra field',
    value: json({ ...transfer('extra'), memo: 'refund' }),
    reason: /Unrecognized key: "memo"/,
    graphId: graphId('extra'),
  },
];

describe('ingest-gateway: hostile bank transfer input', () => {
  const servers = testServers();
  const marker = transfer('after-hostile');
  const landed = new Map<string, Landed>();
  let markerLanded: Landed;
  let apps: INestMicroservice[] = [];
  let probe: TopicProbe;
  let producer: RawProducer;
  let graph: GraphProbe;

  beforeAll(async () => {
    const services = serviceEnv(run);
    await startServiceGroupsAtEnd(services);
    apps = await startPipeline(services, ['ingest-gateway', 'graph-writer']);
    probe = new TopicProbe(servers.kafkaBrokers);
    await probe.start([dlq]);
    graph = new GraphProbe();
    producer = new RawProducer(servers.kafkaBrokers);
    await producer.connect();

    // The oversized value goes alone: a produce request holding it and the others would exceed 1 MiB.
    const small = cases.filter((c) => c.name !== OVERSIZED);
    const smallLanded = await producer.sendOnOneKey(
      source,
      small.map((c) => ({ key, value: c.value })),
    );
    small.forEach((c, i) => landed.set(c.name, smallLanded[i] as Landed));
    const [big] = await producer.sendOnOneKey(source, [{ key, value: oversized }]);
    landed.set(OVERSIZED, big as Landed);
    [markerLanded] = (await producer.sendOnOneKey(source, [{ key, value: json(marker) }])) as [Landed];
  }, SETUP_TIMEOUT_MS);

  afterAll(async () => {
    await stopPipeline(apps);
    await probe?.stop();
    await producer?.disconnect();
    await graph?.close();
  });

  it.each(cases)(
    'dead-letters $name with a reason naming it, its source coordinates and its original bytes',
    async ({ name, value, reason }) => {
      const at = landed.get(name);
      if (!at) throw new Error(`${name} was not produced`);
      const dead = await probe.soleDeadLetterOf(source, at);
      expect(dead.headers[DEAD_LETTER_HEADERS.reason]).toMatch(reason);
      expect(dead.headers[DEAD_LETTER_HEADERS.rejectedBy]).toBe('ingest-gateway');
      expect(dead.key?.toString()).toBe(key);
      if (value === null) expect(dead.value).toBeNull();
      else expect(dead.value?.equals(value)).toBe(true);
    },
  );

  it('still records a valid event produced after all of them on the same partition', async () => {
    expect(markerLanded.partition).toBe(landed.get('malformed JSON')?.partition);
    await expectEventually(async () => expect(await graph.copies(graphId('after-hostile'))).toBe(1));
    expect(probe.deadLettersOf(source, markerLanded)).toHaveLength(0);
  });

  it('writes none of them to the graph', async () => {
    // Same key and creditor as the marker: once the marker is in the graph, everything before it was handled.
    await expectEventually(async () => expect(await graph.copies(graphId('after-hostile'))).toBe(1));
    const ids = cases.flatMap((c) => (c.graphId ? [c.graphId] : []));
    expect(ids.length).toBeGreaterThanOrEqual(10);
    expect(await graph.bookedAt(ids)).toEqual(new Map());
  });
});
