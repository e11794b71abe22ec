import { allowedTransitions } from './lifecycle';

describe('allowedTransitions', () => {
  it('lets analysts work an alert up to escalated and only supervisors close it', () => {
    expect(allowedTransitions('new', 'analyst')).toEqual(['acknowledged', 'assigned', 'escalated']);
    expect(allowedTransitions('escalated', 'analyst')).toEqual([]);
    expect(allowedTransitions('escalated', 'supervisor')).toEqual(['closed']);
  });

  it('offers nothing on a closed alert, nor to roles outside the inbox workflow', () => {
    expect(allowedTransitions('closed', 'supervisor')).toEqual([]);
    expect(allowedTransitions('new', 'bank')).toEqual([]);
    expect(allowedTransitions('new', 'investigator')).toEqual([]);
  });
});
