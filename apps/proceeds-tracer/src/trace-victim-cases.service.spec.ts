import type { AlertIssuer } from '@scamflow/alerting';
import { TYPOLOGIES, type AlertDraft, type GraphCommitted } from '@scamflow/contracts';
import type { ConsumedBatch, DeadLetterPublisher, Rejection } from '@scamflow/messaging';
import type {
  ClaimedRetrace,
  RetraceScheduleRepository,
  RetraceTiming,
  TaintSnapshot,
  TaintStateRepository,
  VictimPaymentWatchRepository,
  WatchedCase,
} from '@scamflow/rolling-state';
import { traceProceeds, type PendingPayment } from '@scamflow/tracing';
import type { CarriedBatch, CarryCaseTaintService } from './carry-case-taint.service';
import { analyseCase, type CaseFindings } from './case-findings';
import { recordOfFindings, type CaseRecord } from './case-record.schema';
import { T0, at, bank, subgraphOf, transfer, vaspAccount } from './proceeds-fixtures.testing';
import { loadProceedsTracerConfig } from './proceeds-tracer.config';
import type { RetraceCasesService } from './retrace-cases.service';
import { toTraceInput } from './trace-input';
import { TraceVictimCasesService } from './trace-victim-cases.service';

const victim = bank('victim', 'BANKA');
const mule = bank('mule', 'BANKB');
const foreign = vaspAccount('K-1', 'KHVASP', 'KH');

/** A case whose money reached a Cambodian VASP: it raises a cross-border alert. */
const findingsOf = (caseId: string): CaseFindings => {
  const subgraph = subgraphOf({
    caseId,
    victims: [victim],
    accounts: [mule, foreign],
    transfers: [transfer('t1', victim, mule, 0, '100000'), transfer('t2', mule, foreign, 5, '100000')],
    seeds: ['t1'],
  });
  const input = toTraceInput(subgraph, { currency: 'USD', scale: 2 });
  return analyseCase(subgraph, input, traceProceeds(input));
};
const recordOf = (caseId: string): CaseRecord =>
  recordOfFindings(findingsOf(caseId), {
    startMs: T0,
    untilMs: T0 + 30 * 24 * 60 * 60_000,
    dissipated: { 'fifo-libr': 0n, 'haircut-libr': 0n },
    pruned: { fifo: 0n, haircut: 0n, 'fifo-libr': 0n, 'haircut-libr': 0n },
  });

const batchOf = (values: readonly (GraphCommitted | string)[]): ConsumedBatch => ({
  topic: 'flow.graph.committed.v1',
  partition: 0,
  messages: values.map((v, i) => ({
    topic: 'flow.graph.committed.v1',
    partition: 0,
    offset: String(i),
    key: null,
    value: Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)),
    headers: {},
    timestamp: '0',
  })),
});
const reports = (...caseIds: string[]): GraphCommitted => ({
  schemaVersion: 1,
  kind: 'victim-reports',
  committedAt: at(60),
  reports: caseIds.map((caseId) => ({ caseId, version: 1 })),
});
const transfersBookedAt = (minutes: number, ...ids: string[]): GraphCommitted => ({
  schemaVersion: 1,
  kind: 'transfers',
  committedAt: at(60),
  transfers: ids.map((transferId) => ({
    transferId,
    debtorKey: foreign.accountKey,
    creditorKey: 'tron:out',
    bookedAt: at(minutes),
  })),
});
const transfers = (...ids: string[]): GraphCommitted => transfersBookedAt(30, ...ids);

/**
 * The retrace schedule's rules (its int-spec checks the Redis scripts keep them): due a settle time after the
 * latest request, at most the maximum delay after the first; a claim leases the case; a request after the
 * claim keeps it.
 */
const scheduleStub = () => {
  const due = new Map<string, number>();
  const requested = new Map<string, { firstMs: number; reason: string }>();
  return {
    request: (requests: ReadonlyMap<string, string>, nowMs: number, timing: RetraceTiming) => {
      for (const [caseId, reason] of requests) {
        const first = requested.get(caseId) ?? { firstMs: nowMs, reason };
        requested.set(caseId, first);
        due.set(caseId, Math.min(nowMs + timing.settleMs, first.firstMs + timing.maxDelayMs));
      }
      return Promise.resolve();
    },
    pending: (caseIds: readonly string[]) => Promise.resolve(new Set(caseIds.filter((id) => due.has(id)))),
    claimDue: (nowMs: number, leaseMs: number): Promise<ClaimedRetrace[]> => {
      const claimed = [...due].filter(([, at]) => at <= nowMs).map(([caseId]) => caseId);
      for (const caseId of claimed) due.set(caseId, nowMs + leaseMs);
      return Promise.resolve(
        claimed.map((caseId) => ({
          caseId,
          reason: requested.get(caseId)?.reason ?? 'unknown',
          claim: nowMs + leaseMs,
        })),
      );
    },
    done: (traced: readonly { caseId: string; claim?: number }[]) => {
      for (const { caseId, claim } of traced) {
        if (claim === undefined || due.get(caseId) === claim) {
          due.delete(caseId);
          requested.delete(caseId);
        }
      }
      return Promise.resolve();
    },
  };
};

/**
 * Our own ports as small stubs: what is traced from the graph, what the carry returns, what the state holds.
 * Each collaborator's real behaviour has its own spec (carry, state repository int-spec, e2e).
 */
const setup = (
  options: {
    stored?: CaseRecord[];
    carried?: Partial<CarriedBatch>;
    watched?: Map<string, Map<string, WatchedCase>>;
  } = {},
) => {
  const watchUpdates: { caseId: string; pending: readonly PendingPayment[] }[] = [];
  const retraced: string[][] = [];
  const issued: AlertDraft[][] = [];
  const deadLettered: Rejection[] = [];
  const carriedBatches: string[][] = [];
  const carriedClocks: number[] = [];
  const stored = new Map((options.stored ?? []).map((r) => [r.caseId, r]));
  const mocks = {
    retrace: {
      execute: (caseIds: readonly string[]) => {
        retraced.push([...caseIds]);
        return Promise.resolve(caseIds.map(findingsOf));
      },
    },
    carry: {
      execute: (committed: readonly { transferId: string }[], clockMs: number) => {
        carriedBatches.push(committed.map((t) => t.transferId));
        carriedClocks.push(clockMs);
        return Promise.resolve({
          records: options.carried?.records ?? new Map(),
          retrace: options.carried?.retrace ?? new Map(),
        });
      },
    },
    victimWatch: {
      watchedAt: () => Promise.resolve(options.watched ?? new Map()),
      update: (entries: readonly { caseId: string; pending: readonly PendingPayment[] }[]) => {
        watchUpdates.push(...entries.map(({ caseId, pending }) => ({ caseId, pending })));
        return Promise.resolve();
      },
    },
    taintState: {
      casesAt: () => Promise.resolve(new Map()),
      read: (_accounts: readonly string[], caseIds: readonly string[]): Promise<TaintSnapshot> =>
        Promise.resolve({
          accounts: new Map(),
          left: new Map(),
          cases: new Map(
            caseIds.flatMap((id) => {
              const record = stored.get(id);
              return record ? [[id, { record, untilMs: record.untilMs }] as const] : [];
            }),
          ),
          applied: new Map(),
          journalFrom: new Map(),
          versions: new Map(),
          corruptCases: new Set(),
        }),
    },
    alerts: {
      issue: (drafts: readonly AlertDraft[]) => {
        issued.push([...drafts]);
        return Promise.resolve([]);
      },
    },
    deadLetters: {
      publish: (rejected: readonly Rejection[]) => {
        deadLettered.push(...rejected);
        return Promise.resolve();
      },
    },
  };
  const sut = new TraceVictimCasesService(
    mocks.retrace as unknown as RetraceCasesService,
    mocks.carry as unknown as CarryCaseTaintService,
    mocks.victimWatch as unknown as VictimPaymentWatchRepository,
    scheduleStub() as unknown as RetraceScheduleRepository,
    mocks.taintState as unknown as TaintStateRepository,
    mocks.alerts as unknown as AlertIssuer,
    mocks.deadLetters as unknown as DeadLetterPublisher,
    loadProceedsTracerConfig({}),
  );
  return { sut, retraced, issued, deadLettered, carriedBatches, carriedClocks, watchUpdates };
};

const crossBorderCases = (drafts: readonly AlertDraft[] | undefined) =>
  (drafts ?? []).filter((d) => d.typology === TYPOLOGIES.crossBorderProceeds).map((d) => d.issueKey);

describe(TraceVictimCasesService.name, () => {
  it('traces a newly reported case from the graph once and raises its cross-border alert', async () => {
    const { sut, retraced, issued } = setup();

    await sut.execute(batchOf([reports('CASE-1')]));

    expect(retraced).toEqual([['CASE-1']]);
    expect(crossBorderCases(issued[0])).toEqual(['CASE-1']);
    expect(sut.retraces.report).toBe(1);
  });

  it('does not read the graph again for a replayed report already traced: its stored case is re-issued', async () => {
    const { sut, retraced, issued } = setup({ stored: [recordOf('CASE-1')] });

    await sut.execute(batchOf([reports('CASE-1')]));

    expect(retraced).toEqual([]);
    expect(crossBorderCases(issued[0])).toEqual(['CASE-1']);
    expect(sut.retraces.report).toBe(0);
  });

  it('alerts cases carried forward by committed transfers without tracing them from the graph', async () => {
    const { sut, retraced, issued, carriedBatches } = setup({
      carried: { records: new Map([['CASE-1', recordOf('CASE-1')]]) },
    });

    await sut.execute(batchOf([transfers('t4')]));

    expect(carriedBatches).toEqual([['t4']]);
    expect(retraced).toEqual([]);
    expect(crossBorderCases(issued[0])).toEqual(['CASE-1']);
  });

  it('traces a case the carry could not carry exactly (late transfers) once they settle, one trace for a burst', async () => {
    const { sut, retraced, issued } = setup({ carried: { retrace: new Map([['CASE-2', 'late' as const]]) } });
    const t0 = Date.parse(at(60));

    // Three batches with a late transfer of the case, a second apart: nothing traced while they keep coming.
    for (const [i, id] of ['t-late-1', 't-late-2', 't-late-3'].entries()) {
      await sut.execute(batchOf([transfers(id)]), new Date(t0 + i * 1_000));
    }
    await sut.runDue(new Date(t0 + 3_999));
    expect(retraced).toEqual([]);

    // Settled (2 s after the latest): one trace covers them all, counted once, and the case's alert goes out.
    await sut.runDue(new Date(t0 + 4_000));
    await sut.runDue(new Date(t0 + 9_000));
    expect(retraced).toEqual([['CASE-2']]);
    expect(crossBorderCases(issued.at(-1))).toEqual(['CASE-2']);
    expect(sut.retraces.late).toBe(1);
  });

  it('never defers a case longer than the maximum delay while late transfers keep coming', async () => {
    const { sut, retraced } = setup({ carried: { retrace: new Map([['CASE-2', 'late' as const]]) } });
    const t0 = Date.parse(at(60));

    // A late transfer every second for 12 s: the settle time never passes, the 10 s bound does.
    for (let i = 0; i <= 12; i += 1)
      await sut.execute(batchOf([transfers(`t-${i}`)]), new Date(t0 + i * 1_000));

    expect(retraced).toEqual([['CASE-2']]);
  });

  it('traces a watched case again on a transfer of its victim, and stops watching once its payment is found', async () => {
    const watched = new Map([
      [
        foreign.accountKey,
        new Map<string, WatchedCase>([
          ['CASE-PENDING', [{ fromMs: Date.parse(at(0)), untilMs: Date.parse(at(60)) }]],
          ['CASE-FOUND', []],
        ]),
      ],
    ]);
    const { sut, retraced, watchUpdates } = setup({ watched });
    const t0 = Date.parse(at(60));

    await sut.execute(batchOf([transfers('t-pay')]), new Date(t0));
    await sut.runDue(new Date(t0 + 2_000));

    expect(retraced).toEqual([['CASE-PENDING']]);
    expect(sut.retraces['victim-payment']).toBe(1);
    // Traced with its payment found: nothing is pending, so the victim's transfers no longer re-trace it.
    expect(watchUpdates).toEqual([{ caseId: 'CASE-PENDING', pending: [] }]);
  });

  it('does not trace a watched case again for a transfer of its victim that cannot be the pending payment', async () => {
    const watched = new Map([
      [
        foreign.accountKey,
        new Map<string, WatchedCase>([
          ['CASE-NAMED', [{ transferId: 'bank:BANKA:reported' }]],
          ['CASE-WINDOW', [{ fromMs: Date.parse(at(0)), untilMs: Date.parse(at(20)) }]],
        ]),
      ],
    ]);
    const { sut, retraced } = setup({ watched });

    await sut.execute(batchOf([transfers('t-rent')]), new Date(Date.parse(at(60)))); // booked at(30)
    await sut.execute(batchOf([transfers('bank:BANKA:reported')]), new Date(Date.parse(at(60))));
    await sut.runDue(new Date(Date.parse(at(61))));

    expect(retraced).toEqual([['CASE-NAMED']]);
    expect(sut.retraces['victim-payment']).toBe(1);
  });

  it('keeps and drops case state by the feed’s event time, not the clock: a feed replayed a year later is traced', async () => {
    const { sut, carriedBatches, carriedClocks } = setup();
    const yearLater = new Date(T0 + 365 * 24 * 60 * 60_000);
    const lag = loadProceedsTracerConfig({}).PROCEEDS_STATE_EXPIRY_LAG_MS;

    await sut.execute(batchOf([transfers('t-1')]), yearLater); // booked at(30)
    await sut.execute(batchOf([transfersBookedAt(10, 't-0')]), yearLater);

    expect(carriedBatches).toEqual([['t-1'], ['t-0']]);
    // The clock is the latest transfer booked, less the allowed lag; an older batch does not move it back.
    expect(carriedClocks).toEqual([Date.parse(at(30)) - lag, Date.parse(at(30)) - lag]);
  });

  it('never lets a transfer booked in the future move the state clock past the real clock', async () => {
    const { sut, carriedClocks } = setup();
    const now = new Date(Date.parse(at(20)));
    const lag = loadProceedsTracerConfig({}).PROCEEDS_STATE_EXPIRY_LAG_MS;

    await sut.execute(batchOf([transfers('t-future')]), now); // booked at(30), ten minutes ahead

    expect(carriedClocks).toEqual([now.getTime() - lag]);
  });

  it('dead-letters a message it cannot read and does nothing else', async () => {
    const { sut, retraced, issued, deadLettered, carriedBatches } = setup();

    await sut.execute(batchOf(['{"kind":"transfers"']));

    expect(deadLettered).toHaveLength(1);
    expect(retraced).toEqual([]);
    expect(carriedBatches).toEqual([]);
    expect(issued).toEqual([]);
  });
});
