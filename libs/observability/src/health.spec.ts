import { consumersHealth } from './health';
import type { ConsumerStatus } from './consumer-status';

const status = (over: Partial<ConsumerStatus> = {}): ConsumerStatus => ({
  groupId: 'graph-writer',
  state: 'running',
  lag: 0,
  restarts: 0,
  ...over,
});

describe(consumersHealth.name, () => {
  it('is up when every consumer of the service runs below the lag threshold', () => {
    expect(consumersHealth(['graph-writer'], 100, [status({ lag: 100 })]).status).toBe('up');
  });

  it('is down while a consumer restarts or has crashed, with its last error', () => {
    const restarting = consumersHealth(['graph-writer'], 100, [
      status({ state: 'restarting', lastError: 'BatchHandlingError: handling t/0@1..2 failed' }),
    ]);
    expect(restarting).toMatchObject({
      status: 'down',
      consumers: [{ state: 'restarting', lastError: 'BatchHandlingError: handling t/0@1..2 failed' }],
    });
    expect(consumersHealth(['graph-writer'], 100, [status({ state: 'crashed' })]).status).toBe('down');
  });

  it('is down when the lag passes the threshold, and says so', () => {
    expect(consumersHealth(['graph-writer'], 100, [status({ lag: 101 })])).toMatchObject({
      status: 'down',
      reason: 'lag above 100',
    });
  });

  it('is down when a consumer the service needs is not there at all', () => {
    expect(consumersHealth(['graph-writer'], 100, [])).toMatchObject({
      status: 'down',
      missing: ['graph-writer'],
    });
  });
});
