import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TransferAcceptedSchema, type ParseResult, type TransferAccepted } from '@scamflow/contracts';
import { mapPacs008 } from './pacs008.mapper';
import { parsePacs008Document } from './pacs008.parser';

const fixturesDir = join(__dirname, '../../../libs/contracts/fixtures/pacs008');
const fixture = (name: string): Buffer => readFileSync(join(fixturesDir, name));

const source = { topic: 'bank.pacs008.received.v1', partition: 1, offset: '7' };
const limits = { maxFutureSkewMs: 5 * 60_000, maxAmountMajor: 10n ** 13n };
const now = new Date('2026-11-23T03:00:00Z');

/** What the gateway does with one message: parse, validate, map. */
const accept = (
  bytes: Buffer,
  at: Date = now,
  from: typeof source = source,
): ParseResult<TransferAccepted[]> => {
  const document = parsePacs008Document(bytes, 1024 * 1024);
  return document.ok ? mapPacs008(document.value, from, limits, at) : document;
};
const transfersOf = (result: ParseResult<TransferAccepted[]>): TransferAccepted[] =>
  result.ok ? result.value : [];
const edit = (file: string, from: string, to: string): Buffer => {
  const xml = fixture(file).toString('utf8');
  if (!xml.includes(from)) throw new Error(`${file} has no "${from}"`);
  return Buffer.from(xml.split(from).join(to));
};

describe(mapPacs008.name, () => {
  it('maps a single-transaction pacs.008 into the canonical transfer', () => {
    const transfers = transfersOf(accept(fixture('valid-single.xml')));

    expect(transfers).toEqual([
      {
        schemaVersion: 1,
        transferId: 'bank:KASITHBK:3d2a7c1e-5b6f-4e8a-9c0d-1f2e3a4b5c6d',
        rail: 'bank',
        reportedBy: 'KASITHBK',
        bookedAt: '2026-11-23T02:16:30.000Z',
        amount: { amountMinor: '4999950', currency: 'THB', scale: 2 },
        // Same account keys as the JSON feed uses for the same banks and accounts.
        debtor: {
          accountKey: 'KASITHBK:1234567890',
          accountId: '1234567890',
          institutionId: 'KASITHBK',
          country: 'TH',
        },
        creditor: {
          accountKey: 'ABAAKHPP:KH0099887766',
          accountId: 'KH0099887766',
          institutionId: 'ABAAKHPP',
          country: 'KH',
        },
        endToEndId: 'E2E-INV-7731',
        uetr: '3d2a7c1e-5b6f-4e8a-9c0d-1f2e3a4b5c6d',
        source,
        acceptedAt: now.toISOString(),
      },
    ]);
    expect(TransferAcceptedSchema.array().safeParse(transfers).success).toBe(true);
  });

  it('maps every transaction of a multi-transaction message, each with its own id, time and currency', () => {
    const transfers = transfersOf(accept(fixture('valid-multiple.xml')));

    expect(transfers.map(({ transferId, bookedAt, amount }) => ({ transferId, bookedAt, amount }))).toEqual([
      {
        transferId: 'bank:DEUTDEFF:8a562c67-ca16-48ba-b074-65581be6f011',
        bookedAt: '2026-11-22T16:45:10.000Z',
        amount: { amountMinor: '125050', currency: 'EUR', scale: 2 },
      },
      {
        transferId: 'bank:DEUTDEFF:DEUT-TX-2',
        bookedAt: '2026-11-22T00:00:00.000Z',
        amount: { amountMinor: '150000', currency: 'JPY', scale: 0 },
      },
      {
        transferId: 'bank:DEUTDEFF:DEUT-BATCH-20261122-17|E2E-A-3',
        bookedAt: '2026-11-22T18:00:00.123Z',
        amount: { amountMinor: '2000', currency: 'USD', scale: 2 },
      },
    ]);
    expect(transfers[0]?.creditor).toMatchObject({
      accountKey: 'BNPAFRPP:FR1420041010050500013M02606',
      country: 'FR',
    });
    expect(transfers[2]?.creditor).toEqual({
      accountKey: '021000021:000123456789',
      accountId: '000123456789',
      institutionId: '021000021',
      country: 'US',
    });
    expect(TransferAcceptedSchema.array().safeParse(transfers).success).toBe(true);
  });

  it('never copies party names into the canonical transfers', () => {
    const text = JSON.stringify([
      ...transfersOf(accept(fixture('valid-single.xml'))),
      ...transfersOf(accept(fixture('valid-multiple.xml'))),
    ]);
    for (const name of ['Somchai', 'Dara', 'Mustermann', 'Dupont', 'Yamada', 'Doe']) {
      expect(text).not.toContain(name);
    }
  });

  it('gives the same ids when the same message is replayed later at another offset', () => {
    const first = transfersOf(accept(fixture('valid-multiple.xml')));
    const replay = transfersOf(
      accept(fixture('valid-multiple.xml'), new Date('2026-12-01T00:00:00Z'), { ...source, offset: '99' }),
    );
    expect(replay.map((t) => t.transferId)).toEqual(first.map((t) => t.transferId));
    expect(new Set(first.map((t) => t.transferId)).size).toBe(3);
  });

  it('names a payment by its UETR and debtor agent, whichever bank relays it', () => {
    const relayed = edit(
      'valid-single.xml',
      '<BICFI>KASITHBKXXX</BICFI>\n        </FinInstnId>\n      </InstgAgt>',
      '<BICFI>CHASUS33</BICFI>\n        </FinInstnId>\n      </InstgAgt>',
    );
    const [original] = transfersOf(accept(fixture('valid-single.xml')));
    const [hop] = transfersOf(accept(relayed));
    expect(hop?.reportedBy).toBe('CHASUS33');
    expect(hop?.transferId).toBe(original?.transferId);
  });

  const refusals: Record<string, RegExp> = {
    'invalid-billion-laughs.xml': /DOCTYPE or entity declaration is refused/,
    'invalid-doctype-external-entity.xml': /DOCTYPE or entity declaration is refused/,
    'invalid-malformed.xml': /^malformed XML at line 13/,
    'invalid-missing-amount.xml': /IntrBkSttlmAmt/,
    'invalid-amount-too-many-decimals.xml':
      /^transaction 3 of 3 \(EndToEndId E2E-A-3\): amount: amount "20.005" has 3 decimals; USD allows 2$/,
    'invalid-no-country.xml': /Dbtr: no country \(DbtrAgt has no BICFI and Dbtr\/PstlAdr\/Ctry is missing\)/,
  };

  it('has an expected refusal for every invalid fixture', () => {
    const invalid = readdirSync(fixturesDir).filter((f) => f.startsWith('invalid-'));
    expect(invalid.sort()).toEqual(Object.keys(refusals).sort());
  });

  it.each(Object.entries(refusals))('refuses %s whole, with a clear reason', (file, reason) => {
    expect(accept(fixture(file))).toEqual({ ok: false, reason: expect.stringMatching(reason) as unknown });
  });

  it('refuses a message whose transaction count disagrees with its group header', () => {
    const truncated = edit(
      'valid-multiple.xml',
      '<pacs:NbOfTxs>3</pacs:NbOfTxs>',
      '<pacs:NbOfTxs>4</pacs:NbOfTxs>',
    );
    expect(accept(truncated)).toEqual({
      ok: false,
      reason: 'GrpHdr/NbOfTxs is 4 but the message holds 3 transactions',
    });
  });

  it('refuses two transactions that would get the same identity instead of merging them', () => {
    const twins = edit(
      'valid-multiple.xml',
      '<pacs:TxId>DEUT-TX-2</pacs:TxId>',
      '<pacs:TxId>DEUT-TX-1</pacs:TxId>',
    );
    const withoutUetr = Buffer.from(
      twins.toString('utf8').replace('<pacs:UETR>8a562c67-ca16-48ba-b074-65581be6f011</pacs:UETR>', ''),
    );
    expect(accept(withoutUetr)).toEqual({
      ok: false,
      reason: expect.stringMatching(
        /^transaction 2 of 3 .*same identity as transaction 1 \(bank:DEUTDEFF:DEUT-TX-1\)/,
      ) as unknown,
    });
  });

  it('applies the shared rules: a booking time in the future is refused, small clock skew is not', () => {
    const beforeAcceptance = new Date('2026-11-23T02:00:00Z');
    expect(accept(fixture('valid-single.xml'), beforeAcceptance)).toEqual({
      ok: false,
      reason: expect.stringMatching(
        /^transaction 1 of 1 \(EndToEndId E2E-INV-7731\): bookedAt: .* is in the future/,
      ) as unknown,
    });
    expect(accept(fixture('valid-single.xml'), new Date('2026-11-23T02:14:00Z')).ok).toBe(true);
  });

  it('lists every failing transaction, so a bank can fix them all before resending', () => {
    const bad = edit('valid-multiple.xml', 'Ccy="JPY">150000<', 'Ccy="JPY">0<');
    const worse = Buffer.from(bad.toString('utf8').replace('Ccy="USD">20.00<', 'Ccy="USD">20.001<'));
    const result = accept(worse);
    expect(result.ok ? '' : result.reason).toMatch(
      /^transaction 2 of 3 .*greater than zero; transaction 3 of 3 .*USD allows 2$/,
    );
  });
});
