import type { BankTransferReceived } from '../../libs/contracts/src';

/**
 * A small hand-written demo stream: ordinary traffic (salaries, shop payments, rent, P2P) around one
 * call-centre scam: eight victims at several banks pay a freshly opened mule account, which forwards the
 * money to a collector at another bank within minutes. One feed error is mixed in to show the dead-letter path.
 */
export interface DemoEvent {
  readonly key: string;
  readonly value: string;
  readonly label: string;
}

const party = (accountId: string, bankId: string, run: string) => ({
  accountId: `${accountId}-${run}`,
  bankId,
  country: 'TH',
});

export const buildDemoFeed = (run: string, start: Date): DemoEvent[] => {
  let seq = 0;
  const events: DemoEvent[] = [];
  const push = (
    label: string,
    from: string,
    fromBank: string,
    to: string,
    toBank: string,
    value: string,
    minute: number,
  ) => {
    seq += 1;
    const event: BankTransferReceived = {
      schemaVersion: 1,
      reportedBy: fromBank,
      transferId: `DEMO-${run}-${String(seq).padStart(4, '0')}`,
      bookedAt: new Date(start.getTime() + minute * 60_000).toISOString(),
      amount: { value, currency: 'THB' },
      debtor: party(from, fromBank, run),
      creditor: party(to, toBank, run),
      channel: 'mobile',
    };
    events.push({ key: event.debtor.accountId, value: JSON.stringify(event), label });
  };

  // Ordinary morning: a payroll run (one sender, many receivers) and shop payments that stay put.
  for (let i = 0; i < 6; i += 1)
    push('salary', 'acme-payroll', 'SCBLTHBX', `employee${i}`, 'KASITHBK', '32000.00', i * 0.1);
  for (let i = 0; i < 8; i += 1)
    push('shop payment', `shopper${i}`, 'BKKBTHBK', 'noodle-shop', 'KRTHTHBK', '120.00', 1 + i);
  push('rent', 'employee1', 'KASITHBK', 'landlord', 'SCBLTHBX', '9500.00', 4);

  // The scam: victims at four banks pay the mule; it forwards to the collector within minutes.
  const victimBanks = ['KASITHBK', 'BKKBTHBK', 'SCBLTHBX', 'KRTHTHBK'];
  const amounts = [
    '15000.00',
    '48000.00',
    '9999.00',
    '30000.00',
    '22500.00',
    '5000.00',
    '61000.00',
    '12000.00',
  ];
  amounts.forEach((value, i) =>
    push(
      'victim → mule',
      `victim${i}`,
      victimBanks[i % victimBanks.length] ?? 'KASITHBK',
      'mule-7731',
      'GSBATHBK',
      value,
      10 + i,
    ),
  );
  push('mule → collector', 'mule-7731', 'GSBATHBK', 'collector-22', 'TMBKTHBK', '120000.00', 19);
  push('mule → collector', 'mule-7731', 'GSBATHBK', 'collector-22', 'TMBKTHBK', '82000.00', 21);

  // A feed error from a bank integration: amount sent as a JSON number.
  events.push({
    key: `broken-${run}`,
    value: JSON.stringify({
      schemaVersion: 1,
      reportedBy: 'KASITHBK',
      transferId: `DEMO-${run}-BAD`,
      amount: 15000.5,
    }),
    label: 'malformed event',
  });

  // More ordinary traffic after the scam.
  for (let i = 0; i < 4; i += 1)
    push('P2P', `friend${i}`, 'KRTHTHBK', `friend${i + 1}`, 'BKKBTHBK', '450.00', 23 + i);
  return events;
};
