import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { INestMicroservice } from '@nestjs/common';
import neo4j, { type Driver } from 'neo4j-driver';
import { DEAD_LETTER_HEADERS, TOPICS, deadLetterTopicOf } from '@scamflow/contracts';
import { expectEventually } from '../support/expect-eventually';
import { startPipeline, stopPipeline } from '../support/pipeline-apps';
import { serviceEnv, startServiceGroupsAtEnd, testServers } from '../support/test-env';
import { TopicProbe } from '../support/topic-probe';

const run = randomUUID().slice(0, 8);
const RUN = run.toUpperCase();
/** BICs unique to this run (the servers are shared and persistent): 4 bank code, TH, 2 location. */
const debtorBank = `A${RUN.slice(0, 3)}TH${RUN.slice(3, 5)}`;
const creditorBank = `B${RUN.slice(0, 3)}TH${RUN.slice(3, 5)}`;
const MIN = 60_000;
const at = (minutes: number) => new Date(Date.now() - 2 * 60 * MIN + minutes * MIN).toISOString();

interface Tx {
  readonly endToEndId: string;
  readonly txId?: string;
  readonly uetr?: string;
  readonly amount: string;
  readonly debtor: string;
  readonly minutes: number;
}

const agent = (tag: string, bic: string) => `<${tag}><FinInstnId><BICFI>${bic}</BICFI></FinInstnId></${tag}>`;

const pacs008 = (msgId: string, txs: readonly Tx[]): Buffer =>
  Buffer.from(
    `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pacs.008.001.08"><FIToFICstmrCdtTrf>
<GrpHdr><MsgId>${msgId}</MsgId><CreDtTm>${at(0)}</CreDtTm><NbOfTxs>${txs.length}</NbOfTxs></GrpHdr>
${txs
  .map(
    (tx) => `<CdtTrfTxInf>
<PmtId><EndToEndId>${tx.endToEndId}</EndToEndId>${tx.txId ? `<TxId>${tx.txId}</TxId>` : ''}${tx.uetr ? `<UETR>${tx.uetr}</UETR>` : ''}</PmtId>
<IntrBkSttlmAmt Ccy="THB">${tx.amount}</IntrBkSttlmAmt><AccptncDtTm>${at(tx.minutes)}</AccptncDtTm>
<Dbtr><Nm>Victim ${tx.debtor}</Nm></Dbtr><DbtrAcct><Id><Othr><Id>${tx.debtor}-${run}</Id></Othr></Id></DbtrAcct>
${agent('DbtrAgt', debtorBank)}${agent('CdtrAgt', creditorBank)}
<Cdtr><Nm>Mule</Nm></Cdtr><CdtrAcct><Id><Othr><Id>mule-${run}</Id></Othr></Id></CdtrAcct>
</CdtTrfTxInf>`,
  )
  .join('\n')}
</FIToFICstmrCdtTrf></Document>`,
  );

describe('pacs.008 ingestion: Kafka XML → ingest → graph', () => {
  let apps: INestMicroservice[] = [];
  let probe: TopicProbe;
  let driver: Driver;
  const servers = testServers();
  const dlq = deadLetterTopicOf(TOPICS.bankPacs008Received);

  beforeAll(async () => {
    const services = serviceEnv(run);
    await startServiceGroupsAtEnd(services);
    apps = await startPipeline(services, ['ingest-gateway', 'graph-writer']);
    probe = new TopicProbe(servers.kafkaBrokers);
    await probe.start([dlq]);
    driver = neo4j.driver(
      servers.neo4jUrl,
      servers.neo4jUser ? neo4j.auth.basic(servers.neo4jUser, servers.neo4jPassword) : undefined,
    );
  });

  afterAll(async () => {
    await stopPipeline(apps);
    await probe?.stop();
    await driver?.close();
  });

  const copiesInGraph = async (transferId: string): Promise<number> => {
    const { records } = await driver.executeQuery(
      'MATCH ()-[t:TRANSFERRED_TO {transferId: $transferId}]->() RETURN count(t) AS copies',
      { transferId },
      { database: servers.neo4jDatabase },
    );
    return (records[0]?.get('copies') as { toNumber(): number }).toNumber();
  };

  const deadLettersKeyed = (key: string) => probe.on(dlq).filter((m) => m.key?.toString() === key);

  it('records every transaction of a message produced twice exactly once, and none of a partly invalid one', async () => {
    const key = `MSG-${run}`;
    const uetr = randomUUID();
    const message = pacs008(`MSG-${run}`, [
      { endToEndId: `E2E-1-${run}`, uetr, amount: '8000.00', debtor: 'victim1', minutes: 1 },
      { endToEndId: `E2E-2-${run}`, txId: `TX-2-${run}`, amount: '7500.25', debtor: 'victim2', minutes: 2 },
      { endToEndId: `E2E-3-${run}`, amount: '9000', debtor: 'victim3', minutes: 3 },
    ]);
    const ids = [
      `bank:${debtorBank}:${uetr}`,
      `bank:${debtorBank}:TX-2-${run}`,
      `bank:${debtorBank}:MSG-${run}|E2E-3-${run}`,
    ];
    const partlyInvalid = pacs008(`PART-${run}`, [
      { endToEndId: `E2E-P1-${run}`, txId: `TX-P1-${run}`, amount: '100.00', debtor: 'victim4', minutes: 4 },
      { endToEndId: `E2E-P2-${run}`, txId: `TX-P2-${run}`, amount: '100.001', debtor: 'victim5', minutes: 5 },
    ]);
    const marker = pacs008(`MARK-${run}`, [
      { endToEndId: `E2E-M-${run}`, txId: `TX-M-${run}`, amount: '1.00', debtor: 'victim6', minutes: 6 },
    ]);
    // Same key → same partition, and every transfer pays the same creditor → same accepted partition: once the
    // marker is in the graph, everything produced before it has been processed.
    await probe.produce(TOPICS.bankPacs008Received, [
      { key, value: message },
      { key, value: message },
    ]);
    await probe.produce(TOPICS.bankPacs008Received, [
      { key, value: partlyInvalid },
      { key, value: marker },
    ]);

    await expectEventually(async () => expect(await copiesInGraph(`bank:${debtorBank}:TX-M-${run}`)).toBe(1));
    for (const id of ids) expect(await copiesInGraph(id)).toBe(1);
    expect(await copiesInGraph(`bank:${debtorBank}:TX-P1-${run}`)).toBe(0);

    const { records } = await driver.executeQuery(
      `MATCH (d:Account)-[t:TRANSFERRED_TO {transferId: $transferId}]->(c:Account)
       RETURN d.accountKey AS debtor, c.accountKey AS creditor, t.amountMinor AS amountMinor, t.currency AS currency`,
      { transferId: ids[1] },
      { database: servers.neo4jDatabase },
    );
    expect(records.map((r) => r.toObject())).toEqual([
      {
        debtor: `${debtorBank}:victim2-${run}`,
        creditor: `${creditorBank}:mule-${run}`,
        amountMinor: '750025',
        currency: 'THB',
      },
    ]);

    const [dead] = await expectEventually(() => {
      const mine = deadLettersKeyed(key);
      expect(mine).toHaveLength(1);
      return mine;
    });
    expect(dead?.value).toEqual(partlyInvalid);
    expect(dead?.headers[DEAD_LETTER_HEADERS.reason]).toMatch(/^transaction 2 of 2 .*THB allows 2/);
  });

  it('dead-letters an entity-expansion attack unexpanded, with its reason and original bytes', async () => {
    const key = `HOSTILE-${run}`;
    const hostile = readFileSync(
      join(__dirname, '../../libs/contracts/fixtures/pacs008/invalid-billion-laughs.xml'),
    );
    await probe.produce(TOPICS.bankPacs008Received, [{ key, value: hostile }]);

    const [dead] = await expectEventually(() => {
      const mine = deadLettersKeyed(key);
      expect(mine).toHaveLength(1);
      return mine;
    });
    expect(dead?.value).toEqual(hostile);
    expect(dead?.headers[DEAD_LETTER_HEADERS.reason]).toMatch(/DOCTYPE or entity declaration is refused/);
    expect(dead?.headers[DEAD_LETTER_HEADERS.sourceTopic]).toBe(TOPICS.bankPacs008Received);
    expect(dead?.headers[DEAD_LETTER_HEADERS.sourceOffset]).toMatch(/^\d+$/);
  });
});
