import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  TransferAcceptedSchema,
  VaTransferReceivedSchema,
  type VaTransferReceived,
} from '@scamflow/contracts';
import { mapVaTransfer } from './va-transfer.mapper';

const fixture = (name: string): VaTransferReceived =>
  VaTransferReceivedSchema.parse(
    JSON.parse(
      readFileSync(join(__dirname, '../../../libs/contracts/fixtures/va-transfer-received', name), 'utf8'),
    ),
  );

const source = { topic: 'vasp.transfer.received.v1', partition: 0, offset: '7' };
const limits = { maxFutureSkewMs: 5 * 60_000, maxAmountMajor: 10n ** 13n };
const now = new Date('2026-11-23T06:00:00Z');

const mapped = (event: VaTransferReceived) => {
  const result = mapVaTransfer(event, source, limits, now);
  if (!result.ok) throw new Error(result.reason);
  expect(TransferAcceptedSchema.safeParse(result.value).success).toBe(true);
  return result.value;
};

describe(mapVaTransfer.name, () => {
  it('maps an on-chain USDT transfer to wallet accounts with exact token minor units', () => {
    const t = mapped(fixture('valid-onchain-usdt-tron.json'));
    expect(t).toMatchObject({
      transferId: 'onchain:tron:9f2c4be1a7d05e3c8b61f0a2d4e6c8b0a1f3e5d7c9b2a4f6e8d0c2b4a6f8e0d2:0',
      rail: 'onchain',
      amount: { amountMinor: '5890123456', currency: 'USDT', scale: 6 },
      debtor: {
        accountKey: 'tron:TQ5xYkG3s3bq3zUuVwJr9Z8pWmE1nHd7Lk',
        institutionId: 'unhosted',
        country: 'ZZ',
        kind: 'wallet',
      },
      creditor: {
        accountKey: 'tron:TLa2f6VPqDgRE67v1736s7bJ8Ray5wYjU7',
        institutionId: 'KHVASP01',
        country: 'KH',
      },
    });
  });

  it('maps a fiat deposit as bank account → VASP customer account', () => {
    const t = mapped(fixture('valid-ledger-fiat-deposit.json'));
    expect(t).toMatchObject({
      transferId: 'vasp:THVASP01:DEP-000913',
      rail: 'vasp-ledger',
      amount: { amountMinor: '20000000', currency: 'THB', scale: 2 },
      debtor: { accountKey: 'TMBKTHBK:collector-22', kind: 'bank-account' },
      creditor: { accountKey: 'THVASP01:U-55102', kind: 'vasp-account', country: 'TH', holderId: 'h-1b2c' },
    });
  });

  it('maps a crypto withdrawal as VASP customer account → the same wallet key the chain feed uses', () => {
    const withdrawal = mapped(fixture('valid-ledger-withdrawal-travel-rule.json'));
    const onchain = mapped(fixture('valid-onchain-usdt-tron.json'));
    expect(withdrawal.debtor.accountKey).toBe('THVASP01:U-55102');
    expect(withdrawal.creditor.accountKey).toBe(onchain.debtor.accountKey);
    expect(withdrawal.amount).toEqual({ amountMinor: '5900000000', currency: 'USDT', scale: 6 });
  });

  it('gives a ledger withdrawal and its on-chain twin one transaction hash, however each spells it', () => {
    const onchainFixture = fixture('valid-onchain-usdt-tron.json');
    const ledgerFixture = fixture('valid-ledger-withdrawal-travel-rule.json');
    if (onchainFixture.kind !== 'onchain' || ledgerFixture.kind !== 'ledger') throw new Error('fixture kind');
    const onchain = mapped({ ...onchainFixture, txHash: `0x${onchainFixture.txHash.toUpperCase()}` });
    const withdrawal = mapped({ ...ledgerFixture, txHash: onchainFixture.txHash });
    expect(onchain.txHash).toBe(onchainFixture.txHash.toLowerCase());
    expect(withdrawal.txHash).toBe(onchain.txHash);
  });

  it('treats EVM addresses case-insensitively so checksummed and lower-case forms are one account', () => {
    const base = fixture('valid-onchain-usdt-tron.json');
    if (base.kind !== 'onchain') throw new Error('fixture kind');
    const evm = (address: string): VaTransferReceived => ({
      ...base,
      chain: 'ethereum',
      from: { address },
    });
    const a = mapped(evm('0x52908400098527886E0F7030069857D2E4169EE7'));
    const b = mapped(evm('0x52908400098527886e0f7030069857d2e4169ee7'));
    expect(a.debtor.accountKey).toBe(b.debtor.accountKey);
  });

  it('refuses more decimals than the token has', () => {
    const base = fixture('valid-onchain-usdt-tron.json');
    const result = mapVaTransfer({ ...base, amount: '1.1234567' }, source, limits, now);
    expect(result).toEqual({ ok: false, reason: 'amount: amount "1.1234567" has 7 decimals; USDT allows 6' });
  });
});
