/**
 * `npm run trace:reconcile [-- --prefix <redis key prefix>] [--cases id,id] [--limit N] [--out file.json]`
 *
 * Checks the proceeds tracer's incremental state against the graph: each stored case record (what the tracer
 * carried forward transfer by transfer) is compared with the same case traced from the graph as it stands now
 * (the batch trace, which the carry must equal): cross-border accounts, accounts in a suspicious role, material
 * holders' amounts per rule. Prints one line per disagreeing case and a JSON report; exits 1 when any case
 * disagrees. Read only: nothing is written to Redis or Neo4j. Run it when the feed is quiet (a transfer the
 * graph holds but the tracer has not consumed yet shows as a difference).
 */
import { writeFileSync } from 'node:fs';
import type Redis from 'ioredis';
import type { Driver } from 'neo4j-driver';
import { ProceedsSubgraphRepository, createNeo4jDriver, neo4jConnectionOf } from '@scamflow/graph';
import {
  RetraceScheduleRepository,
  TaintStateRepository,
  createRedis,
  redisKeys,
} from '@scamflow/rolling-state';
import { reconcileCase, type CaseReconciliation } from '../../apps/proceeds-tracer/src/case-reconcile';
import { CaseRecordSchema, findingsOfRecord } from '../../apps/proceeds-tracer/src/case-record.schema';
import {
  loadProceedsTracerConfig,
  type ProceedsTracerConfig,
} from '../../apps/proceeds-tracer/src/proceeds-tracer.config';
import { RetraceCasesService } from '../../apps/proceeds-tracer/src/retrace-cases.service';
import { argValue } from './cli-args';

const CASE_RECORD_KEY = /^proceeds:case:([^:]+)$/;

export interface ReconcileReport {
  readonly checkedAt: string;
  readonly redisKeyPrefix: string;
  readonly cases: number;
  readonly agreeing: number;
  readonly disagreeing: number;
  readonly unreadableRecords: number;
  readonly reportsNotInGraph: number;
  /**
   * Cases waiting for a deferred trace from the graph when the check ran (seconds at most): their stored record
   * can lag the graph until it runs.
   */
  readonly retracesPending: number;
  /** Cases where some holder's FIFO amount differs (haircut differs by design where residues were pruned). */
  readonly fifoDiffering: number;
  readonly crossBorderMissing: number;
  readonly suspiciousMissing: number;
  readonly differences: readonly CaseReconciliation[];
}

/** Case ids with a stored record under the client's key prefix. */
const storedCaseIds = async (redis: Redis, prefix: string): Promise<string[]> => {
  const found = new Set<string>();
  // SCAN does not apply the client's key prefix: match and strip it here.
  for await (const batch of redis.scanStream({
    match: `${prefix}${redisKeys.proceedsCase('*')}`,
    count: 1_000,
  })) {
    for (const key of batch as string[]) {
      const id = CASE_RECORD_KEY.exec(key.slice(prefix.length))?.[1];
      if (id) found.add(id);
    }
  }
  return [...found].sort();
};

/**
 * Compares each stored case record (or those named) with the same case traced from the graph now, writing
 * nothing. `redis` must carry the tracer's key prefix.
 */
export const reconcileStoredCases = async (
  redis: Redis,
  driver: Driver,
  config: ProceedsTracerConfig,
  options: { readonly caseIds?: readonly string[]; readonly limit?: number } = {},
): Promise<ReconcileReport> => {
  const caseIds = (options.caseIds ?? (await storedCaseIds(redis, config.REDIS_KEY_PREFIX))).slice(
    0,
    options.limit ?? Infinity,
  );
  const taintState = new TaintStateRepository(redis);
  const tracer = new RetraceCasesService(
    new ProceedsSubgraphRepository(driver, config.NEO4J_DATABASE),
    taintState,
    config,
  );
  const results: CaseReconciliation[] = [];
  let unreadable = 0;
  let absent = 0;
  for (const caseId of caseIds) {
    const stored = (await taintState.read([], [caseId], new Map(), Number.NEGATIVE_INFINITY)).cases.get(
      caseId,
    );
    const parsed = CaseRecordSchema.safeParse(stored?.record);
    if (!parsed.success) {
      unreadable += 1;
      continue;
    }
    const traced = (await tracer.traceFromGraph([caseId])).get(caseId);
    if (!traced) {
      absent += 1;
      continue;
    }
    results.push(
      reconcileCase(findingsOfRecord(parsed.data), traced.findings, config.PROCEEDS_FOLLOW_MIN_SHARE),
    );
  }
  const disagreeing = results.filter((r) => !r.agrees);
  return {
    checkedAt: new Date().toISOString(),
    redisKeyPrefix: config.REDIS_KEY_PREFIX,
    cases: results.length,
    agreeing: results.length - disagreeing.length,
    disagreeing: disagreeing.length,
    unreadableRecords: unreadable,
    reportsNotInGraph: absent,
    retracesPending: await new RetraceScheduleRepository(redis).size(),
    fifoDiffering: disagreeing.filter((r) => r.holders.some((h) => h.carried.fifo !== h.traced.fifo)).length,
    crossBorderMissing: disagreeing.reduce((n, r) => n + r.crossBorderMissing.length, 0),
    suspiciousMissing: disagreeing.reduce((n, r) => n + r.suspiciousMissing.length, 0),
    differences: disagreeing,
  };
};

const main = async (argv: readonly string[]): Promise<void> => {
  const prefix = argValue(argv, 'prefix');
  const config = loadProceedsTracerConfig({
    ...process.env,
    ...(prefix !== undefined ? { REDIS_KEY_PREFIX: prefix } : {}),
  });
  const redis = createRedis({ url: config.REDIS_URL, keyPrefix: config.REDIS_KEY_PREFIX });
  const driver = createNeo4jDriver(neo4jConnectionOf(config));
  try {
    const limit = argValue(argv, 'limit');
    const report = await reconcileStoredCases(redis, driver, config, {
      ...(argValue(argv, 'cases') ? { caseIds: argValue(argv, 'cases')!.split(',').filter(Boolean) } : {}),
      ...(limit !== undefined ? { limit: Number(limit) } : {}),
    });
    for (const r of report.differences) {
      console.log(
        `case ${r.caseId}: cross-border missing [${r.crossBorderMissing.join(' ')}] extra [${r.crossBorderExtra.join(' ')}]; ` +
          `suspicious missing [${r.suspiciousMissing.join(' ')}] extra [${r.suspiciousExtra.join(' ')}]; ` +
          `${r.holders.length} holder(s) differ`,
      );
    }
    const out = argValue(argv, 'out');
    if (out) writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
    console.log(
      `${report.cases} case(s) compared: ${report.agreeing} agree, ${report.disagreeing} disagree ` +
        `(FIFO on ${report.fifoDiffering}; ${report.crossBorderMissing} cross-border and ${report.suspiciousMissing} suspicious accounts only the graph trace finds)` +
        (out ? `; report in ${out}` : ''),
    );
    process.exitCode = report.disagreeing > 0 ? 1 : 0;
  } finally {
    redis.disconnect();
    await driver.close();
  }
};

if (require.main === module) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    console.error('trace:reconcile failed:', error instanceof Error ? error.message : error);
    process.exit(2);
  });
}
