import { alertedAccountsOf } from './alerted-accounts';

describe(alertedAccountsOf.name, () => {
  const alert = {
    typology: 'mule.fan-in',
    subject: { accountKey: 'B:target' },
    involved: [
      { accountKey: 'B:target', role: 'mule' },
      { accountKey: 'B:smurf', role: 'mule' },
      { accountKey: 'B:victim', role: 'victim' },
      { accountKey: 'B:shop', role: 'counterparty' },
      { accountKey: 'B:next', role: 'collector' },
    ],
  };

  it('counts the subject and the involved accounts in suspicious roles, once each', () => {
    expect(alertedAccountsOf(alert).map((a) => a.accountKey)).toEqual(['B:target', 'B:smurf', 'B:next']);
  });

  it('counts the subject alone when involved accounts are not scored', () => {
    expect(alertedAccountsOf(alert, false)).toEqual([{ accountKey: 'B:target', typology: 'mule.fan-in' }]);
  });
});
