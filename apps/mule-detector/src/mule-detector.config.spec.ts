import { loadMuleDetectorConfig, muleDetectionPlanOf } from './mule-detector.config';

const base = { KAFKA_BROKERS: 'localhost:9092', REDIS_URL: 'redis://localhost:6379' };

describe('mule-detector configuration: the side each account type exists for', () => {
  it('defaults to merchants and businesses paid by many, payroll paying many', () => {
    const hubs = muleDetectionPlanOf(loadMuleDetectorConfig(base)).rulesFor('ANYBANK').hubs;
    expect([...hubs.declaredSides]).toEqual([
      ['merchant', 'in'],
      ['business', 'in'],
      ['payroll', 'out'],
    ]);
  });

  it('takes a deployment’s own list, or none', () => {
    const own = loadMuleDetectorConfig({ ...base, HUB_DECLARED_SIDES: 'payroll:out, merchant:in' });
    expect([...own.HUB_DECLARED_SIDES]).toEqual([
      ['payroll', 'out'],
      ['merchant', 'in'],
    ]);
    expect(loadMuleDetectorConfig({ ...base, HUB_DECLARED_SIDES: '' }).HUB_DECLARED_SIDES.size).toBe(0);
  });

  it('refuses an unknown account type or side, naming the variable', () => {
    expect(() => loadMuleDetectorConfig({ ...base, HUB_DECLARED_SIDES: 'merchant:sideways' })).toThrow(
      /HUB_DECLARED_SIDES/,
    );
    expect(() => loadMuleDetectorConfig({ ...base, HUB_DECLARED_SIDES: 'casino:in' })).toThrow(
      /HUB_DECLARED_SIDES/,
    );
  });

  it('takes the account types a payment to is spending, merchants by default, and refuses an unknown one', () => {
    expect([...loadMuleDetectorConfig(base).HUB_SPENDING_ACCOUNT_TYPES]).toEqual(['merchant']);
    expect([
      ...loadMuleDetectorConfig({ ...base, HUB_SPENDING_ACCOUNT_TYPES: 'merchant,business' })
        .HUB_SPENDING_ACCOUNT_TYPES,
    ]).toEqual(['merchant', 'business']);
    expect(() => loadMuleDetectorConfig({ ...base, HUB_SPENDING_ACCOUNT_TYPES: 'casino' })).toThrow(
      /HUB_SPENDING_ACCOUNT_TYPES/,
    );
  });
});
