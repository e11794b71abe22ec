import { buildFreezeRequests, deadlineClock } from './freeze-request';
import { renderFreezeRequestsHtml } from './freeze-request.html';
import { CASE_FILING, CASE_ID } from './filings.fixtures.testing';

const AS_OF = new Date('2026-11-20T10:40:00.000Z');

describe('buildFreezeRequests', () => {
  it('makes one request per holding institution with its amounts per rule, poison left out', () => {
    const requests = buildFreezeRequests(CASE_FILING, AS_OF);

    expect(requests.map((r) => r.institutionId)).toEqual(['SCBLTHBX', 'VASP-KH-ANGKORVX']);
    const scb = requests[0];
    expect(scb?.quotedRule).toBe('fifo');
    // 100.00 THB at SCBLTHBX:222 + 50.00 THB at SCBLTHBX:555 under FIFO
    expect(scb?.quoted).toEqual([{ amountMinor: '15000', currency: 'THB', scale: 2, decimal: '150.00' }]);
    expect(scb?.totals.map((t) => `${t.rule} ${t.amount.decimal} ${t.amount.currency}`)).toEqual([
      'fifo 150.00 THB',
      'haircut 100.00 THB',
    ]);
    expect(scb?.accounts.map((a) => a.accountKey)).toEqual(['SCBLTHBX:222', 'SCBLTHBX:555']);
    const vasp = requests[1];
    expect(vasp?.country).toBe('KH');
    expect(vasp?.quoted.map((m) => `${m.decimal} ${m.currency}`)).toEqual(['400.123456 USDT']);
    expect(vasp?.totals.some((t) => t.rule === 'poison')).toBe(false);
  });

  it('proves each request with the hops that carried the victim money to its accounts, and no others', () => {
    const [scb, vasp] = buildFreezeRequests(CASE_FILING, AS_OF);

    expect(scb?.ledger.map((h) => h.transferId)).toEqual(['bank:KASITHBK:T1', 'bank:SCBLTHBX:T2']);
    expect(vasp?.ledger.map((h) => h.transferId)).toEqual([
      'bank:KASITHBK:T1',
      'bank:SCBLTHBX:T3',
      'bank:BKKBTHBK:T4',
      'onchain:tron:T5',
    ]);
    expect(vasp?.ledger[3]?.amountShown.decimal).toBe('400.123456');
  });

  it('runs the deadline clock from the victim payment (reported paid 17:00 +07:00 = 10:00 UTC)', () => {
    const [scb] = buildFreezeRequests(CASE_FILING, AS_OF);

    expect(scb?.clock).toEqual({
      victimPaidAt: '2026-11-20T10:00:00.000Z',
      asOf: '2026-11-20T10:40:00.000Z',
      elapsedSeconds: 2400,
      goldenHourEndsAt: '2026-11-20T11:00:00.000Z',
      withinGoldenHour: true,
    });
    expect(
      deadlineClock('2026-11-20T10:00:00.000Z', new Date('2026-11-20T11:00:01.000Z')).withinGoldenHour,
    ).toBe(false);
  });

  it('starts the clock at the first traced hop out of the victim when the report has no payment time', () => {
    const filing = {
      ...CASE_FILING,
      report: { ...CASE_FILING.report, reportedTransfers: [{ transferId: 'x' }] },
    };

    expect(buildFreezeRequests(filing, AS_OF)[0]?.clock.victimPaidAt).toBe('2026-11-20T10:00:00.000Z');
  });

  it('asks nobody to freeze anything before the case is traced', () => {
    expect(buildFreezeRequests({ ...CASE_FILING, tracing: null }, AS_OF)).toEqual([]);
  });
});

describe('renderFreezeRequestsHtml', () => {
  it('prints every request with its amount and escapes what producers sent', () => {
    const hostile = {
      ...CASE_FILING,
      tracing: CASE_FILING.tracing && {
        ...CASE_FILING.tracing,
        holders: CASE_FILING.tracing.holders.map((h) =>
          h.account.accountKey === 'SCBLTHBX:222'
            ? { ...h, crossBorderReasons: ['<img src=x onerror=alert(1)>'] }
            : h,
        ),
      },
    };
    const html = renderFreezeRequestsHtml(CASE_ID, buildFreezeRequests(hostile, AS_OF));

    expect(html).toContain('Freeze request CASE-T-1:SCBLTHBX');
    expect(html).toContain('<strong>150.00 THB</strong>');
    expect(html).toContain('<strong>400.123456 USDT</strong>');
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });
});
