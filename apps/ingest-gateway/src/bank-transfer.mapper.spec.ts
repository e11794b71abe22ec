import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  BankTransferReceivedSchema,
  TransferAcceptedSchema,
  type BankTransferReceived,
} from '@scamflow/contracts';
import { mapBankTransfer } from './bank-transfer.mapper';

const fixture = (name: string): BankTransferReceived =>
  BankTransferReceivedSchema.parse(
    JSON.parse(
      readFileSync(join(__dirname, '../../../libs/contracts/fixtures/bank-transfer-received', name), 'utf8'),
    ),
  );

const source = { topic: 'bank.transfer.received.v1', partition: 2, offset: '41' };
const limits = { maxFutureSkewMs: 5 * 60_000, maxAmountMajor: 10n ** 13n };
const now = new Date('2026-11-23T03:00:00Z');

describe(mapBankTransfer.name, () => {
  it('normalises a bank transfer into the canonical transfer with exact minor units', () => {
    const result = mapBankTransfer(fixture('valid-full.json'), source, limits, now);

    expect(result).toEqual({
      ok: true,
      value: expect.objectContaining({
        transferId: 'bank:BKKBTHBK:TX-20261123-000002',
        rail: 'bank',
        bookedAt: '2026-11-23T02:16:30.000Z',
        amount: { amountMinor: '4999950', currency: 'THB', scale: 2 },
        debtorBalanceAfter: { amountMinor: '12075', currency: 'THB', scale: 2 },
        debtor: expect.objectContaining({
          accountKey: 'BKKBTHBK:555-0-12345-6',
          holderId: 'h-9f2a51',
        }) as unknown,
        creditor: expect.objectContaining({ accountKey: 'ABAAKHPP:KH0099887766', country: 'KH' }) as unknown,
        source,
        acceptedAt: now.toISOString(),
      }) as unknown,
    });
    expect(TransferAcceptedSchema.safeParse(result.ok && result.value).success).toBe(true);
  });

  it('gives the same canonical id for the same producer event, so replays collapse downstream', () => {
    const a = mapBankTransfer(fixture('valid-minimal.json'), source, limits, now);
    const b = mapBankTransfer(fixture('valid-minimal.json'), { ...source, offset: '99' }, limits, new Date());
    expect(a.ok && b.ok && a.value.transferId === b.value.transferId).toBe(true);
  });

  it('normalises booking times with an offset to UTC', () => {
    const result = mapBankTransfer(fixture('valid-minimal.json'), source, limits, now);
    expect(result.ok && result.value.bookedAt).toBe('2026-11-23T02:15:00.000Z');
  });

  it.each([
    ['more decimals than the currency allows', { value: '10.001', currency: 'THB' }, /THB allows 2/],
    ['a currency not in ISO 4217', { value: '10.00', currency: 'ZZZ' }, /unknown currency "ZZZ"/],
    ['a zero amount', { value: '0.00', currency: 'THB' }, /greater than zero/],
    ['an absurd amount', { value: '99999999999999999', currency: 'THB' }, /plausibility limit/],
  ])('refuses %s', (_case, amount, reason) => {
    const event = { ...fixture('valid-minimal.json'), amount };
    expect(mapBankTransfer(event, source, limits, now)).toEqual({
      ok: false,
      reason: expect.stringMatching(reason) as unknown,
    });
  });

  it('refuses a booking time far in the future but tolerates small clock skew', () => {
    const ahead = (ms: number) => ({
      ...fixture('valid-minimal.json'),
      bookedAt: new Date(now.getTime() + ms).toISOString(),
    });
    expect(mapBankTransfer(ahead(60_000), source, limits, now).ok).toBe(true);
    expect(mapBankTransfer(ahead(24 * 3_600_000), source, limits, now)).toEqual({
      ok: false,
      reason: expect.stringContaining('in the future') as unknown,
    });
  });
});
