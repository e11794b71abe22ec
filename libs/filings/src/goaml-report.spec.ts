import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { buildGoamlReport, GoamlExportError, localAmountOf } from './goaml-report';
import { goamlReportOfAlert, goamlReportOfCase } from './goaml-alert';
import { CASE_FILING, CONTEXT, MULE_ALERT, PROCEEDS_ALERT, PROFILE } from './filings.fixtures.testing';

/** Element order copied by hand from ../shared/GOAML.md (goAML 5.0.1 schema order); alternatives share a slot. */
const REPORT_ORDER = [
  'schema_version',
  'rentity_id',
  'rentity_branch',
  'submission_code',
  'report_code',
  'entity_reference',
  'fiu_ref_number',
  'prev_rejected_ref_number',
  'submission_date|report_date',
  'currency_code_local',
  'reporting_person|reporting_user_code',
  'location',
  'reason',
  'action',
  'transaction',
  'activity',
  'report_indicators',
  'additional_information',
];
const TRANSACTION_ORDER = [
  'transactionnumber',
  'transaction_is_suspicious',
  'internal_ref_number',
  'agent_name',
  'transaction_location',
  'transaction_address',
  'transaction_description',
  'date_transaction',
  'teller',
  'authorized',
  'late_deposit',
  'date_posting',
  'value_date',
  'transaction_type_code',
  'transmode_code',
  'transmode_comment',
  'amount_local',
  'transaction_status',
  't_from_my_client|t_from',
  't_to_my_client|t_to',
  'goods_services',
  'means_of_transport',
  'comments',
];
const FROM_ORDER = [
  'from_funds_code',
  'from_funds_comment',
  'from_foreign_currency',
  't_conductor',
  'from_account|from_person|from_entity',
  'from_country',
];
const TO_ORDER = [
  'to_funds_code',
  'to_funds_comment',
  'to_foreign_currency',
  't_conductor',
  'to_account|to_person|to_entity',
  'to_country',
];
const ACCOUNT_ORDER = [
  'institution_name',
  'institution_code|swift',
  'institution_country',
  'non_bank_institution',
  'branch',
  'account',
  'currency_code',
  'account_name',
  'iban',
  'client_number',
  'personal_account_type|account_type',
  't_entity',
  'signatory',
  'opened',
  'closed',
  'balance',
  'date_balance',
  'status_code',
  'beneficiary',
  'comments',
];
const REPORT_PARTY_ORDER = ['person|account|entity', 'significance', 'reason', 'comments'];

type Ordered = Record<string, unknown>[];
const parser = new XMLParser({ preserveOrder: true, ignoreAttributes: true, parseTagValue: false });
const nameOf = (node: Record<string, unknown>) => Object.keys(node).find((k) => k !== ':@') ?? '';
const childrenOf = (node: Record<string, unknown>): Ordered =>
  (node[nameOf(node)] as Ordered).filter((c) => nameOf(c) !== '#text');
const childNamed = (node: Record<string, unknown>, name: string) =>
  childrenOf(node).find((c) => nameOf(c) === name);
const textOf = (node: Record<string, unknown> | undefined): string => {
  if (node === undefined) return '';
  const text = ((node[nameOf(node)] as Ordered)[0] ?? {})['#text'];
  return typeof text === 'string' ? text : '';
};

/** Every child's slot index in `order`; the sequence must never go back (repeats of one slot allowed). */
const expectSchemaOrder = (node: Record<string, unknown>, order: readonly string[]) => {
  const names = childrenOf(node).map(nameOf);
  const slots = names.map((name) => order.findIndex((slot) => slot.split('|').includes(name)));
  expect(names.filter((_, i) => slots[i] === -1)).toEqual([]);
  expect(slots).toEqual([...slots].sort((a, b) => a - b));
};

const reportOf = (xml: string) => {
  expect(XMLValidator.validate(xml)).toBe(true);
  const doc = parser.parse(xml) as Ordered;
  const report = doc.find((n) => nameOf(n) === 'report');
  if (!report) throw new Error('no <report>');
  return report;
};

describe('buildGoamlReport', () => {
  it('writes a proceeds alert as an STR in schema order, down to every account block', () => {
    const report = reportOf(buildGoamlReport(goamlReportOfAlert(PROCEEDS_ALERT, CONTEXT), PROFILE));

    expectSchemaOrder(report, REPORT_ORDER);
    const transactions = childrenOf(report).filter((c) => nameOf(c) === 'transaction');
    expect(transactions).toHaveLength(6);
    for (const tx of transactions) {
      expectSchemaOrder(tx, TRANSACTION_ORDER);
      const from = childNamed(tx, 't_from');
      const to = childNamed(tx, 't_to');
      if (!from || !to) throw new Error('transaction without both sides');
      expectSchemaOrder(from, FROM_ORDER);
      expectSchemaOrder(to, TO_ORDER);
      expectSchemaOrder(childNamed(from, 'from_account') ?? {}, ACCOUNT_ORDER);
      expectSchemaOrder(childNamed(to, 'to_account') ?? {}, ACCOUNT_ORDER);
    }
    expect(textOf(childNamed(report, 'report_code'))).toBe('STR');
    expect(textOf(childNamed(report, 'rentity_id'))).toBe('42');
    expect(textOf(childNamed(report, 'entity_reference'))).toBe('ALERT-P-1/v3');
    expect(childrenOf(childNamed(report, 'report_indicators') ?? {}).map(textOf)).toEqual(['SCAM', 'XB']);
  });

  it('writes local amounts as exact decimal text, converting foreign legs at the profile rate', () => {
    const report = reportOf(buildGoamlReport(goamlReportOfAlert(PROCEEDS_ALERT, CONTEXT), PROFILE));
    const transactions = childrenOf(report).filter((c) => nameOf(c) === 'transaction');

    expect(transactions.map((tx) => textOf(childNamed(tx, 'amount_local')))).toEqual([
      '15000.00',
      '14850.00',
      '50.00',
      '100.00',
      '14800.00',
      // 400.123456 USDT x 35.00 = 14004.32096 THB, half-even to 2 decimals
      '14004.32',
    ]);
    const usdtLeg = transactions[5] ?? {};
    const foreign = childNamed(childNamed(usdtLeg, 't_from') ?? {}, 'from_foreign_currency') ?? {};
    expect(childrenOf(foreign).map((c) => [nameOf(c), textOf(c)])).toEqual([
      ['foreign_currency_code', 'USDT'],
      ['foreign_amount', '400.123456'],
      ['foreign_exchange_rate', '35.00'],
    ]);
    expect(
      childNamed(childNamed(transactions[0] ?? {}, 't_from') ?? {}, 'from_foreign_currency'),
    ).toBeUndefined();
  });

  it('writes a virtual-asset leg per the VASP convention: non-bank institution, address as account, chain and hash in comments', () => {
    const report = reportOf(buildGoamlReport(goamlReportOfAlert(PROCEEDS_ALERT, CONTEXT), PROFILE));
    const usdtLeg = childrenOf(report).filter((c) => nameOf(c) === 'transaction')[5] ?? {};
    const wallet = childNamed(childNamed(usdtLeg, 't_to') ?? {}, 'to_account') ?? {};

    expect(textOf(childNamed(wallet, 'institution_name'))).toBe('VASP-KH-ANGKORVX');
    expect(textOf(childNamed(wallet, 'non_bank_institution'))).toBe('true');
    expect(textOf(childNamed(wallet, 'account'))).toBe('TXyz');
    expect(textOf(childNamed(wallet, 'currency_code'))).toBe('USDT');
    expect(textOf(childNamed(wallet, 'account_type'))).toBe('W');
    expect(textOf(childNamed(wallet, 'comments'))).toContain('chain tron');
    expect(textOf(childNamed(usdtLeg, 'comments'))).toContain('chain tron, tx hash ab12cd34ef56ab12cd34');
    expect(textOf(childNamed(usdtLeg, 'transmode_code'))).toBe('VA');
    expect(textOf(childNamed(childNamed(usdtLeg, 't_to') ?? {}, 'to_country'))).toBe('KH');
    const bankLeg = childrenOf(report).filter((c) => nameOf(c) === 'transaction')[0] ?? {};
    const mule = childNamed(childNamed(bankLeg, 't_to') ?? {}, 'to_account') ?? {};
    expect(textOf(childNamed(mule, 'institution_name'))).toBe('Siam Commercial Bank');
    expect(textOf(childNamed(mule, 'swift'))).toBe('SCBLTHBX');
    expect(childNamed(mule, 'non_bank_institution')).toBeUndefined();
  });

  it('writes a mule alert as a SAR whose activity names the subject with the facts that fired', () => {
    const report = reportOf(buildGoamlReport(goamlReportOfAlert(MULE_ALERT, CONTEXT), PROFILE));

    expectSchemaOrder(report, REPORT_ORDER);
    expect(textOf(childNamed(report, 'report_code'))).toBe('SAR');
    expect(childNamed(report, 'transaction')).toBeUndefined();
    const parties = childrenOf(childNamed(childNamed(report, 'activity') ?? {}, 'report_parties') ?? {});
    expect(parties).toHaveLength(2);
    for (const party of parties) expectSchemaOrder(party, REPORT_PARTY_ORDER);
    expect(textOf(childNamed(childNamed(parties[0] ?? {}, 'account') ?? {}, 'account'))).toBe('222');
    expect(textOf(childNamed(parties[0] ?? {}, 'significance'))).toBe('10');
    const reason = textOf(childNamed(report, 'reason'));
    expect(reason).toContain('distinct senders within 60 min: 5 (threshold >= 3)');
    expect(reason).not.toContain('days since opening');
    expect(childrenOf(childNamed(report, 'report_indicators') ?? {}).map(textOf)).toEqual(['MULE']);
  });

  it('writes a case as an STR of only the hops that carried its money', () => {
    const report = reportOf(buildGoamlReport(goamlReportOfCase(CASE_FILING, CONTEXT), PROFILE));
    const transactions = childrenOf(report).filter((c) => nameOf(c) === 'transaction');

    expect(textOf(childNamed(report, 'entity_reference'))).toBe('CASE-T-1');
    expect(transactions.map((tx) => textOf(childNamed(tx, 'transactionnumber')))).toEqual([
      'bank:KASITHBK:T1',
      'bank:SCBLTHBX:T3',
      'bank:SCBLTHBX:T2',
      'bank:BKKBTHBK:T4',
      'onchain:tron:T5',
    ]);
    expect(textOf(childNamed(report, 'reason'))).toContain(
      'tron:TXyz at VASP-KH-ANGKORVX, KH (foreign-jurisdiction:KH) holds 400.123456 USDT under the fifo rule.',
    );
  });

  it('escapes text so hostile ids and narratives stay text', () => {
    const hostile = { ...MULE_ALERT, summary: '</reason><script>alert(1)</script> & "x"' };
    const xml = buildGoamlReport(goamlReportOfAlert(hostile, CONTEXT), PROFILE);
    const report = reportOf(xml);

    expect(xml).not.toContain('<script>');
    expect(textOf(childNamed(report, 'reason'))).toContain('<script>alert(1)</script>');
  });

  it('refuses a foreign leg the profile has no reporting rate for, naming the currency', () => {
    expect(() => localAmountOf({ amountMinor: '100', currency: 'EUR', scale: 2 }, PROFILE)).toThrow(
      GoamlExportError,
    );
    expect(() => localAmountOf({ amountMinor: '100', currency: 'EUR', scale: 2 }, PROFILE)).toThrow(/EUR/);
  });

  it('hashes transfer ids longer than goAML allows and keeps the full id in comments', () => {
    const long = `onchain:ethereum:${'f'.repeat(64)}:0`;
    const alert = {
      ...PROCEEDS_ALERT,
      tracing: undefined,
      evidence: {
        ...PROCEEDS_ALERT.evidence,
        edges: [
          {
            transferId: long,
            fromKey: 'KASITHBK:111',
            toKey: 'SCBLTHBX:222',
            bookedAt: '2026-11-20T10:00:00.000Z',
            amount: { amountMinor: '100', currency: 'THB', scale: 2 },
          },
        ],
      },
    };
    const report = reportOf(buildGoamlReport(goamlReportOfAlert(alert, CONTEXT), PROFILE));
    const tx = childNamed(report, 'transaction') ?? {};

    expect(textOf(childNamed(tx, 'transactionnumber'))).toMatch(/^H[0-9a-f]{40}$/);
    expect(textOf(childNamed(tx, 'comments'))).toContain(long);
  });
});
