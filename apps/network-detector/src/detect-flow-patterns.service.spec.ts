import type { AlertIssuer } from '@scamflow/alerting';
import { TYPOLOGIES, type AlertDraft, type TransferAccepted } from '@scamflow/contracts';
import type { ConsumedBatch, DeadLetterPublisher, Rejection } from '@scamflow/messaging';
import type {
  AccountAdjacencyRead,
  AdjacencyEdge,
  AdjacencyReadRequest,
  TemporalAdjacencyRepository,
} from '@scamflow/rolling-state';
import { DetectFlowPatternsService } from './detect-flow-patterns.service';
import { loadNetworkDetectorConfig } from './network-detector.config';

const MIN = 60_000;
const T0 = Date.parse('2026-11-23T02:00:00Z');

const transfer = (
  id: string,
  from: string,
  to: string,
  amountMinor: string,
  atMs: number,
): TransferAccepted => ({
  schemaVersion: 1,
  transferId: `bank:BANKA:${id}`,
  rail: 'bank',
  reportedBy: 'BANKA',
  bookedAt: new Date(T0 + atMs).toISOString(),
  amount: { amountMinor, currency: 'THB', scale: 2 },
  debtor: { accountKey: `BANKA:${from}`, accountId: from, institutionId: 'BANKA', country: 'TH' },
  creditor: { accountKey: `BANKA:${to}`, accountId: to, institutionId: 'BANKA', country: 'TH' },
  source: { topic: 'bank.transfer.received.v1', partition: 0, offset: '0' },
  acceptedAt: new Date(T0 + atMs).toISOString(),
});

const batchOf = (values: readonly (TransferAccepted | string)[]): ConsumedBatch => ({
  topic: 'flow.transfer.accepted.v1',
  partition: 0,
  messages: values.map((v, i) => ({
    topic: 'flow.transfer.accepted.v1',
    partition: 0,
    offset: String(i),
    key: null,
    value: Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)),
    headers: {},
    timestamp: '0',
  })),
});

/**
 * The repository as a list of recorded edges; every call is logged, so the spec sees what is read when. A test
 * double of our own port, not of Redis: the Redis behaviour has its own int-spec.
 */
const setup = (limit = 200) => {
  const edges: AdjacencyEdge[] = [];
  const calls: string[] = [];
  const issued: AlertDraft[][] = [];
  const deadLettered: Rejection[] = [];
  const adjacency = {
    record: (recorded: readonly AdjacencyEdge[]) => {
      calls.push(`record ${recorded.map((e) => e.transferId).join(',')}`);
      edges.push(...recorded);
      return Promise.resolve(new Set(recorded.map((e) => e.transferId)));
    },
    read: (requests: readonly AdjacencyReadRequest[]) => {
      calls.push(
        `read ${requests
          .map((r) => r.accountKey)
          .sort()
          .join(',')}`,
      );
      const found = new Map<string, AccountAdjacencyRead>();
      for (const { accountKey, fromMs, toMs } of requests) {
        const near = edges.filter((e) => e.atMs >= fromMs && e.atMs <= toMs);
        const inbound = near.filter((e) => e.to.accountKey === accountKey);
        const outbound = near.filter((e) => e.from.accountKey === accountKey);
        found.set(accountKey, {
          inbound: inbound.length > limit ? [] : inbound,
          outbound: outbound.length > limit ? [] : outbound,
          inboundCount: inbound.length,
          outboundCount: outbound.length,
        });
      }
      return Promise.resolve(found);
    },
  };
  const alerts = {
    issue: (drafts: readonly AlertDraft[]) => {
      issued.push([...drafts]);
      return Promise.resolve([]);
    },
  };
  const deadLetters = {
    publish: (rejections: readonly Rejection[]) => {
      deadLettered.push(...rejections);
      return Promise.resolve();
    },
  };
  const sut = new DetectFlowPatternsService(
    adjacency as unknown as TemporalAdjacencyRepository,
    alerts as unknown as AlertIssuer,
    deadLetters as unknown as DeadLetterPublisher,
    loadNetworkDetectorConfig({}),
  );
  return { sut, mocks: { calls, issued, deadLettered } };
};

const chain = [
  transfer('l1', 'victim', 'm1', '5000000', 0),
  transfer('l2', 'm1', 'm2', '4850000', 12 * MIN),
  transfer('l3', 'm2', 'm3', '4700000', 30 * MIN),
  transfer('l4', 'm3', 'cashout', '4600000', 41 * MIN),
];

describe(DetectFlowPatternsService.name, () => {
  it('dead-letters what it cannot parse and still records and searches the rest', async () => {
    const { sut, mocks } = setup();
    await sut.execute(batchOf(['{"not":"a transfer"}', chain[0]!]));
    expect(mocks.deadLettered).toHaveLength(1);
    expect(mocks.calls[0]).toBe('record bank:BANKA:l1');
  });

  it('records a batch before reading anything, then reads one hop further per round, all searches together', async () => {
    const { sut, mocks } = setup();
    await sut.execute(batchOf([chain[0]!, chain[2]!, chain[3]!]));
    await sut.execute(batchOf([chain[1]!]));
    const second = mocks.calls.slice(mocks.calls.indexOf('record bank:BANKA:l2'));
    expect(second[0]).toBe('record bank:BANKA:l2');
    // Round 1: the new transfer's two ends; round 2: the accounts one hop beyond them.
    expect(second[1]).toBe('read BANKA:m1,BANKA:m2');
    expect(second[2]).toBe('read BANKA:m3,BANKA:victim');
  });

  it('raises the chain when its middle transfer arrives last, naming that transfer as the trigger', async () => {
    const { sut, mocks } = setup();
    await sut.execute(batchOf([chain[0]!, chain[2]!, chain[3]!]));
    expect(mocks.issued.flat().filter((d) => d.typology === TYPOLOGIES.layeringChain)).toEqual([]);
    await sut.execute(batchOf([chain[1]!]));
    const drafts = mocks.issued.at(-1)!.filter((d) => d.typology === TYPOLOGIES.layeringChain);
    expect(drafts.map((d) => d.subject.accountKey).sort()).toEqual(['BANKA:m1', 'BANKA:m2', 'BANKA:m3']);
    for (const draft of drafts) {
      expect(draft.trigger).toEqual({ transferId: 'bank:BANKA:l2' });
      expect(draft.evidence.edges.map((e) => e.transferId)).toEqual(chain.map((t) => t.transferId));
      expect(draft.facts.find((f) => f.name === 'hubsNotFollowed')).toMatchObject({
        value: '0',
        unit: 'accounts',
      });
    }
  });

  it('hands nothing to the issuer when the batch holds no pattern', async () => {
    const { sut, mocks } = setup();
    await sut.execute(batchOf([transfer('p', 'a', 'b', '100', 0), transfer('q', 'c', 'd', '100', MIN)]));
    expect(mocks.issued.flat()).toEqual([]);
  });
});
