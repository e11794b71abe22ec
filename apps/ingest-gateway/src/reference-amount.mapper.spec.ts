import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  BankTransferReceivedSchema,
  TransferAcceptedSchema,
  type TransferAccepted,
} from '@scamflow/contracts';
import { mapBankTransfer } from './bank-transfer.mapper';
import { withReferenceAmount } from './reference-amount.mapper';

const USD = { code: 'USD', scale: 2 };
const now = new Date('2026-11-23T03:00:00Z');

/** The full bank fixture, canonical: 49,999.50 THB booked 2026-11-23T02:16:30Z. */
const canonical = (): TransferAccepted => {
  const event = BankTransferReceivedSchema.parse(
    JSON.parse(
      readFileSync(
        join(__dirname, '../../../libs/contracts/fixtures/bank-transfer-received/valid-full.json'),
        'utf8',
      ),
    ),
  );
  const mapped = mapBankTransfer(
    event,
    { topic: 'bank.transfer.received.v1', partition: 0, offset: '1' },
    { maxFutureSkewMs: 0, maxAmountMajor: 10n ** 13n },
    now,
  );
  if (!mapped.ok) throw new Error(mapped.reason);
  return mapped.value;
};

describe(withReferenceAmount.name, () => {
  it('converts with the rate found, rounding half-even to the reference minor unit', () => {
    const rate = { rate: '0.02785', validFrom: '2026-11-23T00:00:00.000Z', source: 'BOT-REFERENCE' };
    const transfer = withReferenceAmount(canonical(), USD, rate);

    // 49,999.50 THB × 0.02785 = 1,392.486075 USD → 1,392.49
    expect(transfer.reference).toEqual({
      status: 'converted',
      amount: { amountMinor: '139249', currency: 'USD', scale: 2 },
      rate: '0.02785',
      rateValidFrom: '2026-11-23T00:00:00.000Z',
      rateSource: 'BOT-REFERENCE',
    });
    expect(TransferAcceptedSchema.parse(transfer)).toEqual(transfer);
  });

  it('keeps the transfer, with an explicit reason, when there is no rate', () => {
    const original = canonical();
    const transfer = withReferenceAmount(original, USD, undefined);

    expect(transfer).toEqual({
      ...original,
      reference: { status: 'no-rate', reason: 'no THB→USD rate at or before 2026-11-23T02:16:30.000Z' },
    });
    expect(TransferAcceptedSchema.parse(transfer)).toEqual(transfer);
  });

  it('converts at rate "1" when the transfer is already in the reference currency, needing no stored rate', () => {
    const transfer = withReferenceAmount(canonical(), { code: 'THB', scale: 2 }, undefined);

    expect(transfer.reference).toEqual({
      status: 'converted',
      amount: { amountMinor: '4999950', currency: 'THB', scale: 2 },
      rate: '1',
      rateValidFrom: '2026-11-23T02:16:30.000Z',
      rateSource: 'identity',
    });
  });

  it('converts an 18-decimal asset exactly', () => {
    const eth: TransferAccepted = {
      ...canonical(),
      amount: { amountMinor: '1500000000000000000', currency: 'ETH', scale: 18 },
    };
    const transfer = withReferenceAmount(eth, USD, {
      rate: '3012.45',
      validFrom: '2026-11-23T02:00:00.000Z',
      source: 'oracle',
    });
    // 1.5 × 3012.45 = 4518.675 → half-even 4518.68
    expect(transfer.reference).toMatchObject({ amount: { amountMinor: '451868', currency: 'USD' } });
  });
});

describe('TransferAcceptedSchema reference', () => {
  it('still accepts transfers without a reference amount (accepted before rates existed)', () => {
    expect(TransferAcceptedSchema.safeParse(canonical()).success).toBe(true);
  });

  it('refuses an unknown reference status', () => {
    const transfer = { ...canonical(), reference: { status: 'estimated', reason: 'x' } };
    expect(TransferAcceptedSchema.safeParse(transfer).success).toBe(false);
  });
});
