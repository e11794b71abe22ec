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
import { ProceedsSubgraphRepository, createNeo4jDriver } from '@scamflow/graph';
import { TaintStateRepository, createRedis, redisKeys } from '@scamflow/rolling-state';
import { reconcileCase, type CaseReconciliation } from '../../apps/proceeds-tracer/src/case-reconcile';
import { CaseRecordSchema, findingsOfRecord } from '../../apps/proceeds-tracer/src/case-record.schema';
import { loadProceedsTracerConfig } from '../../apps/proceeds-tracer/src/proceeds-tracer.config';
import { RetraceCasesService } from '../../apps/proceeds-tracer/src/retrace-cases.service';
import { argValue } from './cli-args';

const CASE_RECORD_KEY = /^proceeds:case:([^:]+)$/;

const main = async (): Promise<void> => {
  const argv = process.argv.slice(2);
  const config = loadProceedsTracerConfig({
    ...process.env,
    ...(argValue(argv, 'prefix') !== undefined ? { REDIS_KEY_PREFIX: argValue(argv, 'prefix') } : {}),
  });
  const limit = Number(argValue(argv, 'limit') ?? Infinity);
  const redis = createRedis({ url: config.REDIS_URL, keyPrefix: config.REDIS_KEY_PREFIX });
  const driver = createNeo4jDriver({
    url: config.NEO4J_URL,
    user: config.NEO4J_USER,
    password: config.NEO4J_PASSWORD,
    database: config.NEO4J_DATABASE,
  });
  try {
    let caseIds = argValue(argv, 'cases')?.split(',').filter(Boolean);
    if (!caseIds) {
      const found = new Set<string>();
      // SCAN does not apply the client's key prefix: match and strip it here.
      const prefix = config.REDIS_KEY_PREFIX;
      for await (const batch of redis.scanStream({
        match: `${prefix}${redisKeys.proceedsCase('*')}`,
        count: 1_000,
      })) {
        for (const key of batch as string[]) {
          const id = CASE_RECORD_KEY.exec(key.slice(prefix.length))?.[1];
          if (id) found.add(id);
        }
      }
      caseIds = [...found].sort();
    }
    caseIds = caseIds.slice(0, limit);
    const taintState = new TaintStateRepository(redis);
    const subgraphs = new ProceedsSubgraphRepository(driver, config.NEO4J_DATABASE);
    const tracer = new RetraceCasesService(subgraphs, taintState, config);
    const results: CaseReconciliation[] = [];
    let unreadable = 0;
    let absent = 0;
    for (const caseId of caseIds) {
      const stored = (await taintState.read([], [caseId], new Map(), 0)).cases.get(caseId);
      const parsed = CaseRecordSchema.safeParse(stored?.record);
      if (!parsed.success) {
        unreadable += 1;
        continue;
      }
      const traced = await tracer.traceFromGraph(caseId);
      if (!traced) {
        absent += 1;
        continue;
      }
      const result = reconcileCase(
        findingsOfRecord(parsed.data),
        traced.findings,
        config.PROCEEDS_FOLLOW_MIN_SHARE,
      );
      results.push(result);
      if (!result.agrees) {
        console.log(
          `case ${caseId}: cross-border missing [${result.crossBorderMissing.join(' ')}] extra [${result.crossBorderExtra.join(' ')}]; ` +
            `suspicious missing [${result.suspiciousMissing.join(' ')}] extra [${result.suspiciousExtra.join(' ')}]; ` +
            `${result.holders.length} holder(s) differ`,
        );
      }
    }
    const disagreeing = results.filter((r) => !r.agrees);
    const report = {
      checkedAt: new Date().toISOString(),
      redisKeyPrefix: config.REDIS_KEY_PREFIX,
      cases: results.length,
      agreeing: results.length - disagreeing.length,
      disagreeing: disagreeing.length,
      unreadableRecords: unreadable,
      reportsNotInGraph: absent,
      crossBorderMissing: disagreeing.reduce((n, r) => n + r.crossBorderMissing.length, 0),
      suspiciousMissing: disagreeing.reduce((n, r) => n + r.suspiciousMissing.length, 0),
      differences: disagreeing,
    };
    const out = argValue(argv, 'out');
    if (out) writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
    console.log(
      `${report.cases} case(s) compared: ${report.agreeing} agree, ${report.disagreeing} disagree ` +
        `(${report.crossBorderMissing} cross-border and ${report.suspiciousMissing} suspicious accounts only the graph trace finds)` +
        (out ? `; report in ${out}` : ''),
    );
    process.exitCode = disagreeing.length > 0 ? 1 : 0;
  } finally {
    redis.disconnect();
    await driver.close();
  }
};

main().catch((error: unknown) => {
  console.error('trace:reconcile failed:', error instanceof Error ? error.message : error);
  process.exit(2);
});
