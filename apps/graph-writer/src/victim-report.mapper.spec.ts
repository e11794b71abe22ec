import type { VictimReportFiled } from '@scamflow/contracts';
import { toVictimReportRecord } from './victim-report.mapper';

const report = (reportedTransfers: VictimReportFiled['reportedTransfers']): VictimReportFiled => ({
  schemaVersion: 1,
  caseId: 'AOC-2026-0001234',
  version: 2,
  reportingChannel: 'hotline-1441',
  reportedAt: '2026-11-23T11:40:00+07:00',
  scamType: 'call-centre-impersonation',
  victimAccounts: [{ accountId: '1234567890', institutionId: 'KASITHBK', country: 'TH' }],
  reportedTransfers,
});

describe(toVictimReportRecord.name, () => {
  it('keys accounts and transfers as the graph does, with amounts in minor units and times in UTC', () => {
    const result = toVictimReportRecord(
      report([
        {
          reference: { reportedBy: 'KASITHBK', transferId: 'TX-1' },
          amount: { value: '15000.5', currency: 'THB' },
          paidAt: '2026-11-23T09:15:00+07:00',
        },
        { amount: { value: '1500', currency: 'JPY' } },
      ]),
    );
    expect(result).toEqual({
      ok: true,
      value: {
        caseId: 'AOC-2026-0001234',
        version: 2,
        channel: 'hotline-1441',
        scamType: 'call-centre-impersonation',
        reportedAt: '2026-11-23T04:40:00.000Z',
        victimAccounts: [
          {
            accountKey: 'KASITHBK:1234567890',
            accountId: '1234567890',
            institutionId: 'KASITHBK',
            country: 'TH',
          },
        ],
        reportedTransfers: [
          {
            transferId: 'bank:KASITHBK:TX-1',
            amount: { amountMinor: '1500050', currency: 'THB', scale: 2 },
            paidAt: '2026-11-23T02:15:00.000Z',
          },
          { amount: { amountMinor: '1500', currency: 'JPY', scale: 0 } },
        ],
      },
    });
  });

  it('refuses the whole report when one amount cannot be normalised, naming the payment', () => {
    const ok = { amount: { value: '10.00', currency: 'THB' } };
    expect(toVictimReportRecord(report([ok, { amount: { value: '10.005', currency: 'THB' } }]))).toEqual({
      ok: false,
      reason: 'reportedTransfers[1].amount: amount "10.005" has 3 decimals; THB allows 2',
    });
    expect(toVictimReportRecord(report([{ amount: { value: '10', currency: 'XXY' } }]))).toEqual({
      ok: false,
      reason: 'reportedTransfers[0].amount: unknown currency "XXY" (not in ISO 4217)',
    });
    expect(toVictimReportRecord(report([{ amount: { value: '0.00', currency: 'THB' } }]))).toEqual({
      ok: false,
      reason: 'reportedTransfers[0].amount: must be greater than zero',
    });
  });
});
