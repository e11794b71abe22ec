import { randomUUID } from 'node:crypto';
import type Redis from 'ioredis';
import { TYPOLOGIES, type AlertDraft, type AlertRaised } from '@scamflow/contracts';
import { KafkaPublisher } from '@scamflow/messaging';
import { METRIC_NAMES, metricsRegistry } from '@scamflow/observability';
import {
  AlertStateRepository,
  KnownMuleRepository,
  RedisStateLostError,
  createRedis,
  markStateEpoch,
  redisKeys,
} from '@scamflow/rolling-state';
import { testServers } from '../../../test/support/test-env';
import { AlertIssuer } from './alert-issuer';
import { fingerprintOf, proposeAlertId } from './alert-versioning';

const run = randomUUID().slice(0, 8);
const servers = testServers();
const money = (minor: string) => ({ amountMinor: minor, currency: 'THB', scale: 2 });

const draftOn = (accountId: string, inbound: readonly string[]): AlertDraft => {
  const subject = {
    accountKey: `AI${run}:${accountId}`,
    accountId,
    institutionId: `AI${run}`,
    country: 'TH',
    role: 'mule' as const,
  };
  return {
    proposedAlertId: proposeAlertId(TYPOLOGIES.fanInPassThrough, subject.accountKey),
    typology: TYPOLOGIES.fanInPassThrough,
    subject,
    involved: [subject],
    score: 0.8,
    severity: 'high',
    summary: `received from ${inbound.length} senders`,
    facts: [],
    evidence: { inboundTransferIds: [...inbound], outboundTransferIds: [], counterparties: [], edges: [] },
    amounts: { inflow: money(String(inbound.length * 100)), outflow: money('0') },
    trigger: {},
    jurisdictions: ['TH'],
    institutions: [`AI${run}`],
    firstSeenAt: '2026-11-23T02:00:00Z',
    lastSeenAt: '2026-11-23T02:30:00Z',
    status: 'open',
    recommendedActions: [],
  };
};

/** What an analyst reads in an alert version: everything but the issue time and the trigger. */
const contentOf = (alert: AlertRaised): string => {
  const { raisedAt: _at, trigger: _trigger, ...content } = alert;
  return JSON.stringify(content);
};

/** (alertId, version) pairs issued with more than one content. */
const conflictingPairs = (alerts: readonly AlertRaised[]): string[] => {
  const contents = new Map<string, Set<string>>();
  for (const alert of alerts) {
    const pair = `${alert.alertId}@v${alert.version}`;
    contents.set(pair, (contents.get(pair) ?? new Set()).add(contentOf(alert)));
  }
  return [...contents].filter(([, set]) => set.size > 1).map(([pair]) => pair);
};

const counterValue = async (name: string, labels: Record<string, string>): Promise<number> => {
  const metric = await metricsRegistry.getSingleMetric(name)?.get();
  return (metric?.values ?? [])
    .filter((v) => Object.entries(labels).every(([k, value]) => v.labels[k] === value))
    .reduce((sum, v) => sum + v.value, 0);
};

describe('alert issuing on real Redis and Kafka', () => {
  const prefix = `test-issuer-${run}:`;
  const clients: Redis[] = [];
  const publishers: KafkaPublisher[] = [];
  /** Two replicas of a detector: each its own Redis connection and producer, one shared state. */
  const replica = (): { issuer: AlertIssuer; states: AlertStateRepository; redis: Redis } => {
    const redis = createRedis({ url: servers.redisUrl, keyPrefix: prefix });
    const publisher = new KafkaPublisher({ brokers: servers.kafkaBrokers, clientId: `issuer-${run}` });
    clients.push(redis);
    publishers.push(publisher);
    const states = new AlertStateRepository(redis);
    return { issuer: new AlertIssuer(states, publisher), states, redis };
  };

  // A stateful service marks its state epoch when it starts (StateEpochGuard).
  beforeAll(() => markStateEpoch(replica().redis));

  afterAll(async () => {
    await Promise.all(publishers.map((p) => p.onApplicationShutdown()));
    await Promise.all(clients.map((c) => c.quit()));
  });

  it('two replicas racing on one subject never issue one version with two contents', async () => {
    const [a, b] = [replica(), replica()];
    const issued: AlertRaised[] = [];
    for (let round = 1; round <= 15; round += 1) {
      const evidence = Array.from({ length: round }, (_, i) => `t${i}`);
      // Same subject, different evidence on each replica: both want "the next version".
      const results = await Promise.all([
        a.issuer.issue([draftOn('race', [...evidence, `a${round}`])]),
        b.issuer.issue([draftOn('race', [...evidence, `b${round}`])]),
      ]);
      issued.push(...results.flat());
    }
    expect(conflictingPairs(issued)).toEqual([]);
    expect(new Set(issued.map((alert) => alert.alertId)).size).toBe(1);
    const versions = issued.map((alert) => alert.version);
    expect(new Set(versions).size).toBe(versions.length);
    expect(issued.length).toBeGreaterThanOrEqual(15);
  });

  it('mints a new alert id when the state is lost, never a second v1 of an issued id', async () => {
    const { issuer, redis } = replica();
    const issued: AlertRaised[] = [];
    issued.push(...(await issuer.issue([draftOn('lost', ['t1'])])));
    issued.push(...(await issuer.issue([draftOn('lost', ['t1', 't2'])])));
    // This subject's state is gone (expired, or quarantined as corrupt).
    await redis.del(redisKeys.alertState(TYPOLOGIES.fanInPassThrough, `AI${run}:lost`));
    issued.push(...(await issuer.issue([draftOn('lost', ['t3'])])));
    issued.push(...(await issuer.issue([draftOn('lost', ['t3', 't4'])])));

    expect(issued.map((alert) => alert.version)).toEqual([1, 2, 1, 2]);
    expect(conflictingPairs(issued)).toEqual([]);
    expect(issued[2]?.alertId).not.toBe(issued[0]?.alertId);
  });

  it('issues nothing once Redis lost the state under a running batch, rather than a second id', async () => {
    const { issuer, states, redis } = replica();
    const [first] = await issuer.issue([draftOn('wiped', ['t1'])]);
    const ref = { typology: TYPOLOGIES.fanInPassThrough, subjectKey: `AI${run}:wiped` };
    const key = redisKeys.alertState(ref.typology, ref.subjectKey);
    const [issued] = await states.read([ref]);
    // Redis restarted without persistence: every key is gone, the epoch marker with them.
    await redis.del(key, redisKeys.stateEpoch);
    try {
      await expect(issuer.issue([draftOn('wiped', ['t1', 't2'])])).rejects.toThrow(RedisStateLostError);
      expect(await redis.get(key)).toBeNull();
      // Once rebuilt (state:rebuild puts the state and the marker back) the same id goes on.
      if (issued) await states.write([{ ...ref, ...issued }]);
    } finally {
      await markStateEpoch(redis);
    }
    const [next] = await issuer.issue([draftOn('wiped', ['t1', 't2'])]);
    expect(next).toMatchObject({ alertId: first?.alertId, version: 2 });
  });

  it('re-publishes a version reserved before a crash, and only once it is confirmed says unchanged', async () => {
    const { issuer, states } = replica();
    const draft = draftOn('crash', ['t1', 't2']);
    const ref = { typology: draft.typology, subjectKey: draft.subject.accountKey };
    // The process reserved v1 and died before publishing.
    const reserved = await states.reserve(ref, 0, {
      alertId: 'reserved-id',
      version: 1,
      fingerprint: fingerprintOf(draft),
      evidenceCount: 2,
    });
    expect(reserved.reserved).toBe(true);

    const redone = await issuer.issue([draft]);
    expect(redone.map((a) => `${a.alertId}@v${a.version}`)).toEqual(['reserved-id@v1']);
    expect(await issuer.issue([draft])).toEqual([]);
  });

  it('counts what came of each draft: first version, new version, same content again, less evidence', async () => {
    const { issuer } = replica();
    const outcomes = ['new', 'update', 'unchanged', 'stale'] as const;
    const counts = async () =>
      Promise.all(outcomes.map((outcome) => counterValue(METRIC_NAMES.alertDrafts, { outcome })));
    const before = await counts();
    const issued = [
      ...(await issuer.issue([draftOn('outcomes', ['t1', 't2'])])),
      ...(await issuer.issue([draftOn('outcomes', ['t1', 't2', 't3'])])),
      ...(await issuer.issue([draftOn('outcomes', ['t1', 't2', 't3'])])),
      ...(await issuer.issue([draftOn('outcomes', ['t1'])])),
    ];
    const after = await counts();

    expect(issued.map((a) => a.version)).toEqual([1, 2]);
    expect(after.map((n, i) => n - (before[i] ?? 0))).toEqual([1, 1, 1, 1]);
  });

  it('quarantines a corrupt alert state, keeps its bytes and still raises the alert', async () => {
    const { issuer, redis } = replica();
    const draft = draftOn('corrupt', ['t1', 't2']);
    const key = redisKeys.alertState(draft.typology, draft.subject.accountKey);
    await redis.set(key, '{"alertId": "x", "version": 1,');
    const before = await counterValue(METRIC_NAMES.quarantinedValues, { kind: 'alert-state' });

    const raised = await issuer.issue([draft]);

    expect(raised.map((a) => a.version)).toEqual([1]);
    expect(await redis.get(redisKeys.quarantine(key))).toBe('{"alertId": "x", "version": 1,');
    expect(JSON.parse((await redis.get(key)) ?? 'null')).toMatchObject({ alertId: raised[0]?.alertId });
    expect(await counterValue(METRIC_NAMES.quarantinedValues, { kind: 'alert-state' })).toBe(before + 1);
  });

  it('quarantines a corrupt known-mule record and learns the mule again', async () => {
    const { redis } = replica();
    const mules = new KnownMuleRepository(redis);
    const accountKey = `AI${run}:known`;
    await redis.set(redisKeys.knownMule(accountKey), 'not json');

    expect(await mules.find([accountKey])).toEqual(new Map());
    expect(await redis.get(redisKeys.quarantine(redisKeys.knownMule(accountKey)))).toBe('not json');
    const mule = { accountKey, alertId: 'a1', typology: 't', score: 0.9, raisedAt: '2026-11-23T02:00:00Z' };
    expect(await mules.remember([mule])).toEqual([mule]);
    expect(await mules.find([accountKey])).toEqual(new Map([[accountKey, mule]]));
  });
});
