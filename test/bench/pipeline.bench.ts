/**
 * Pipeline benchmark: one run measures throughput, ceilings, alert latency, trace latency, memory and
 * detection quality on a named simulator scenario, prints a table and writes bench-results/<scenario>.json.
 *
 *   npm run bench -- --scenario standard [--seed 42] [--transfers N] [--offered-rate 2000]
 *                    [--latency-seconds 45] [--patterns-per-second 4] [--trace-queries 40]
 *                    [--step-start-rate 1000] [--step-max-rate 16000] [--step-seconds 15]
 *                    [--min-graph-transfers 1000000] [--cpu-prof-dir DIR] [--keep-state]
 *
 * Phases, in one run against the local stack (started or reused) and services started as child processes,
 * compiled (`npm run bench` builds dist/ first) and under NODE_ENV=production as deployed:
 * 1. graph top-up: when the graph holds fewer than --min-graph-transfers, simulated background traffic
 *    (another seed) is written through the graph writer's repository in 5,000-row batches;
 * 2. throughput: the scenario's feed (ids suffixed per run, so it is new to a long-lived graph) is produced
 *    as fast as Kafka takes it; done when every service group's lag is 0 (ingest, then graph-writer =
 *    committed to the graph, then detectors = evaluated) and every transfer id is counted in the graph;
 * 3. detection: alerts received during phase 2 on accounts the scenario labels, scored per typology
 *    (account level; the simulator's criminal-side roles are positives: mule, collector, off-ramp, hop-wallet,
 *    foreign-beneficiary; a mule alert flags its subject, a proceeds alert the involved accounts in a criminal
 *    role) with @scamflow/evaluation;
 * 4. latency: a paced producer at --offered-rate with planted fan-in mules; per alert, arrival time on
 *    detection.alert.raised.v1 minus the produce time of its latest-produced evidence transfer; then a short
 *    step search (rate doubling from --step-start-rate, one bisection) for the highest offered rate whose p99
 *    stays within the target, each step drained before the next;
 * 5. ceilings (services stopped): raw kafkajs consume of phase 2's flow.transfer.accepted.v1 range with a
 *    throwaway group, and a raw batched write of the same rows (UNWIND 5,000) on :BenchAccount /
 *    :BENCH_TRANSFERRED_TO, deleted afterwards;
 * 6. traces: 6-hop backward traces from the scenario's mules and forward traces from its victims through
 *    TraceQueryRepository, on the whole graph (its transfer count is reported);
 * 7. reconcile: every case the proceeds tracer carried is compared with a trace of the graph (trace:reconcile):
 *    cases agreeing, FIFO differing, cross-border and suspicious-role accounts only the graph's trace finds.
 * --keep-state leaves the run's Redis keys (prefix bench-<run>:) for a look afterwards; so does a reconcile that
 *    finds a case disagreeing (it prints the trace:reconcile command for those cases).
 * Targets are printed beside each figure with pass/miss; a miss never fails the process.
 *
 * JSON shape (stable; fields are added, never renamed):
 * {
 *   benchmark: 'pipeline', scenario, seed, runTag,
 *   environment: { date, gitCommit, gitDirty, cpuCount, cpuModel, memoryGiB, nodeVersion, loadAverageAtStart,
 *                  loadAverageAtEnd, otherBusyProcesses, servers: { kafka, neo4j, redis }, services: [app] },
 *   events: { byTopic: { <topic>: n }, transfers, groundTruthRecords, labelledAccounts, positiveAccounts },
 *   graph: { transfersBefore, topUp: { transfersWritten, seconds, rowsPerSecond } | null, transfersAtTrace },
 *   throughput: { transfers, transfersFoundInGraph, produceSeconds, produceRatePerSecond,
 *                 secondsToGraphCommitted, secondsToDetectorsEvaluated, graphTransfersPerSecond,
 *                 endToEndTransfersPerSecond, steadyStateGraphTransfersPerSecond, cpuSeconds: { <process>: s },
 *                 cpuMicrosecondsPerTransfer: { <process>: µs }, target: Judged },
 *   ceilings: { kafkaConsume: KafkaCeiling, neo4jWrite: Neo4jCeiling, lowerCeilingPerSecond,
 *               pipelineShareOfCeiling, target: Judged },
 *   latency: { offeredRatePerSecond, achievedRatePerSecond, seconds, produced, plantedMules, plantedMulesAlerted,
 *              alerts, alertsWithKnownEvidence, eventToAlert: { samples, p50Ms, p95Ms, p99Ms, maxMs }, target: Judged,
 *              stepSearch: { targetP99Ms, secondsPerStep, steps: [{ offeredRatePerSecond, achievedRatePerSecond,
 *                            p99Ms, samples, pass }], highestPassingRatePerSecond } | null },
 *   traces: { graphTransfers, backwardFromMule: TraceFigures, forwardFromVictim: TraceFigures, target: Judged },
 *   proceedsReconcile: { cases, agreeing, disagreeing, fifoDiffering, crossBorderMissing, suspiciousMissing,
 *                        unreadableRecords, disagreeingCaseIds, sample: [CaseReconciliation] },
 *   memoryMiB: { <process>: { sampledMaxRssMiB, peakRssMiB } },
 *   detection: DetectionScores (@scamflow/evaluation) & { alertsReceived, muleDetectorsOnly: DetectionScores,
 *              muleDetectorsOnlyFound: { role | timeScale: { <value>: { positives, found } } } },
 *   phasesSeconds: { <phase>: s }, totalSeconds
 * }
 * Judged = { value, target, pass }.
 */
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { Kafka, logLevel, Partitioners, type Admin } from 'kafkajs';
import { isInt, type Driver } from 'neo4j-driver';
import { TOPICS, TYPOLOGIES } from '@scamflow/contracts';
import { latestAlertVersions, scoreDetections } from '@scamflow/evaluation';
import { createNeo4jDriver, TransferRepository } from '@scamflow/graph';
import { RetraceScheduleRepository } from '@scamflow/rolling-state';
import { endpointsEnv, resolveEndpoints, startGroupsAtEnd } from '@scamflow/infra';
import { loadProceedsTracerConfig } from '../../apps/proceeds-tracer/src/proceeds-tracer.config';
import { SCENARIOS, SCENARIO_NAMES, type ScenarioName } from '../../apps/scam-simulator/src/scenarios';
import { reconcileStoredCases } from '../../infra/local/trace-reconcile';
import { sleep, writeResult } from './bench-support';
import { AlertWatcher } from './pipeline/alert-watcher';
import { GRAPH_TRANSFER_COUNT } from './pipeline/bench.cypher';
import { measureKafkaCeiling, measureNeo4jCeiling } from './pipeline/ceilings';
import { describeEnvironment, otherBusyProcesses } from './pipeline/environment';
import { topUpGraph } from './pipeline/graph-top-up';
import { groupLag, groupOffsetSum, partitionEnds } from './pipeline/kafka-offsets';
import { runPacedFeed } from './pipeline/latency-feed';
import { searchHighestRate } from './pipeline/latency-steps';
import { cpuBetween, cpuSnapshot, MemoryTracker, serverPids, type Pids } from './pipeline/process-stats';
import { buildScenarioFeed, POSITIVE_ROLES, produceAll } from './pipeline/scenario-feed';
import {
  PIPELINE_SERVICES,
  startPipelineServices,
  stopServices,
  waitForGroupsStable,
  type RunningService,
} from './pipeline/services';
import { atLeast, atMost, summarise } from './pipeline/stats';
import { measureTraces } from './pipeline/trace-latency';

const { values: args } = parseArgs({
  options: {
    scenario: { type: 'string', default: 'standard' },
    seed: { type: 'string', default: '42' },
    transfers: { type: 'string' },
    'offered-rate': { type: 'string', default: '2000' },
    'latency-seconds': { type: 'string', default: '45' },
    // Step search for the highest offered rate within the p99 target (0 seconds: skipped).
    'step-start-rate': { type: 'string', default: '1000' },
    'step-max-rate': { type: 'string', default: '16000' },
    'step-seconds': { type: 'string', default: '15' },
    'patterns-per-second': { type: 'string', default: '4' },
    'trace-queries': { type: 'string', default: '40' },
    'min-graph-transfers': { type: 'string', default: '1000000' },
    // Writes a V8 CPU profile of every service process into this directory (open in Chrome DevTools).
    'cpu-prof-dir': { type: 'string' },
    // Leaves the run's Redis keys (prefix bench-<run>:) for inspection, e.g. by npm run trace:reconcile.
    'keep-state': { type: 'boolean', default: false },
  },
});

const TARGETS = {
  transfersPerSecond: 10_000,
  shareOfCeiling: 0.7,
  p99EventToAlertMs: 1_000,
  p95TraceMs: 100,
} as const;
const DAY_MS = 86_400_000;
/** Typologies raised by the mule detectors (proximity to proceeds is the proceeds tracer's, after a report). */
const MULE_DETECTOR_TYPOLOGIES: ReadonlySet<string> = new Set(
  Object.values(TYPOLOGIES).filter((t) => t.startsWith('mule.') && t !== TYPOLOGIES.proximityToProceeds),
);

/**
 * Positives found, per value of each grouping (role, time scale): `{ role: { mule: { positives, found } } }`.
 * An account without a value in a grouping is left out of it.
 */
const foundBy = (
  positives: ReadonlySet<string>,
  alerted: ReadonlySet<string>,
  groupings: Readonly<Record<string, ReadonlyMap<string, string>>>,
): Record<string, Record<string, { positives: number; found: number }>> =>
  Object.fromEntries(
    Object.entries(groupings).map(([name, valueOf]) => {
      const counts: Record<string, { positives: number; found: number }> = {};
      for (const key of positives) {
        const value = valueOf.get(key);
        if (value === undefined) continue;
        const entry = (counts[value] ??= { positives: 0, found: 0 });
        entry.positives += 1;
        if (alerted.has(key)) entry.found += 1;
      }
      return [name, counts];
    }),
  );

const isScenarioName = (name: string): name is ScenarioName =>
  (SCENARIO_NAMES as readonly string[]).includes(name);

const graphTransferCount = async (driver: Driver, database: string): Promise<number> => {
  const { records } = await driver.executeQuery(GRAPH_TRANSFER_COUNT, {}, { database });
  const n: unknown = records[0]?.get('transfers');
  return isInt(n) ? n.toNumber() : 0;
};

interface LagPoll {
  readonly atMs: number;
  readonly lags: readonly number[];
}

/** Lag of every service group, upstream first (so a 0 downstream is never read before its upstream). */
/** Waits (at most a minute) until the alert watcher's group has consumed the alert topic to its end. */
const waitForWatcherAtEnd = async (admin: Admin, groupId: string): Promise<void> => {
  const deadline = performance.now() + 60_000;
  await sleep(500);
  while (performance.now() < deadline) {
    if ((await groupLag(admin, groupId, [TOPICS.alertRaised])) === 0) return;
    await sleep(250);
  }
  console.warn('  the alert watcher did not reach the end of the alert topic within a minute');
};

/**
 * Waits (a minute at most) until no case waits for a deferred trace from the graph, then for the tracer to issue
 * the last traced cases' alerts (it ends a case's request before it issues its alerts).
 */
const waitForDeferredTraces = async (redisUrl: string, keyPrefix: string): Promise<void> => {
  const redis = new Redis(redisUrl, { keyPrefix });
  const schedule = new RetraceScheduleRepository(redis);
  try {
    const deadline = performance.now() + 60_000;
    while ((await schedule.size()) > 0) {
      if (performance.now() > deadline) {
        console.warn('  deferred traces were still waiting a minute after the throughput phase');
        return;
      }
      await sleep(250);
    }
    await sleep(1_000);
  } finally {
    redis.disconnect();
  }
};

const pollLags = async (admin: Admin, services: readonly RunningService[]): Promise<LagPoll> => {
  const lags: number[] = [];
  for (const s of services) lags.push(await groupLag(admin, s.groupId, s.service.consumes));
  return { atMs: performance.now(), lags };
};

const stageDone = (services: readonly RunningService[], poll: LagPoll, stages: readonly string[]): boolean =>
  services.every((s, i) => !stages.includes(s.service.stage) || poll.lags[i] === 0);

const main = async (): Promise<void> => {
  const benchStarted = performance.now();
  const phases: Record<string, number> = {};
  const phase = async <T>(name: string, work: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    console.log(`▶ ${name}`);
    try {
      return await work();
    } finally {
      phases[name] = Number(((performance.now() - started) / 1000).toFixed(1));
    }
  };

  const scenarioName = args.scenario ?? 'standard';
  if (!isScenarioName(scenarioName))
    throw new Error(`unknown scenario ${scenarioName}: ${SCENARIO_NAMES.join(', ')}`);
  const scenario = SCENARIOS[scenarioName];
  const seed = Number(args.seed);
  const run = randomBytes(3).toString('hex');
  const servers = await resolveEndpoints();
  const database = servers.neo4jDatabase;
  // The services' own driver factory (sockets without Nagle), so queries cost here what they cost there.
  const driver = createNeo4jDriver({
    url: servers.neo4jUrl,
    user: servers.neo4jUser ?? '',
    password: servers.neo4jPassword ?? '',
    database,
  });
  const kafka = new Kafka({
    clientId: `bench-${run}`,
    brokers: servers.kafkaBrokers,
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  await admin.connect();
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  const environment = await describeEnvironment(driver, database, servers.redisUrl);
  console.log(
    `pipeline benchmark ${scenarioName} seed ${seed}, run ${run}, load ${environment.loadAverageAtStart.join(' ')}`,
  );

  const feed = await phase('simulate scenario', () =>
    Promise.resolve(
      buildScenarioFeed(scenario, seed, args.transfers ? Number(args.transfers) : undefined, run),
    ),
  );
  const transfers = feed.transferIds.length;
  console.log(`  ${feed.messages.length} events, ${transfers} transfers`);

  // 1. Graph size: the trace figures need at least --min-graph-transfers, the throughput runs on that graph.
  const transfersBefore = await graphTransferCount(driver, database);
  const missing = Number(args['min-graph-transfers']) - transfersBefore - transfers;
  const topUp =
    missing > 0
      ? await phase('graph top-up', () =>
          topUpGraph(driver, database, scenario, seed + 1, missing, `${run}0`, (written) => {
            if (written % 100_000 < 5_000) console.log(`  written ${written}/${missing}`);
          }),
        )
      : null;

  // 2. Services, each in its own process, on fresh groups at the end of their topics and a fresh Redis prefix.
  const serviceEnv = {
    ...endpointsEnv(servers),
    REDIS_KEY_PREFIX: `bench-${run}:`,
    // The scenario's simulated month may reach past today: the bench replays it, it is not a live feed.
    INGEST_MAX_FUTURE_SKEW_MS: String(400 * DAY_MS),
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn',
  };
  const running = await phase('start services', async () => {
    await startGroupsAtEnd(
      servers.kafkaBrokers,
      PIPELINE_SERVICES.map((s) => ({ groupId: `bench-${s.app}-${run}`, topics: s.consumes })),
    );
    return startPipelineServices(run, serviceEnv, args['cpu-prof-dir']);
  });
  process.on('exit', () => stopServices(running));
  const watcher = new AlertWatcher(servers.kafkaBrokers, `bench-alerts-${run}`);
  await watcher.start();
  await waitForGroupsStable(admin, [...running.map((s) => s.groupId), watcher.groupId]);
  const pids: Pids = {
    ...Object.fromEntries(running.map((s) => [s.service.app, s.child.pid])),
    ...serverPids(),
  };
  const memory = new MemoryTracker(() => pids);
  const memoryTimer = setInterval(() => memory.sample(), 1_000);

  // 3. Throughput.
  const graphWriter = running.find((s) => s.service.stage === 'graph');
  const throughput = await phase('throughput', async () => {
    const acceptedStarts = await partitionEnds(admin, TOPICS.transferAccepted);
    const graphStart = graphWriter
      ? await groupOffsetSum(admin, graphWriter.groupId, TOPICS.transferAccepted)
      : 0;
    const cpuBefore = cpuSnapshot(pids);
    const started = performance.now();
    let producedAt: number | undefined;
    const producing = produceAll(producer, feed.messages).then(() => {
      producedAt = performance.now();
    });
    let graphDoneAt: number | undefined;
    let allDoneAt: number | undefined;
    const samples: { seconds: number; graphCommitted: number }[] = [];
    const deadline = started + 10 * 60_000;
    while (allDoneAt === undefined && performance.now() < deadline) {
      await sleep(250);
      const poll = await pollLags(admin, running);
      const committed = graphWriter
        ? await groupOffsetSum(admin, graphWriter.groupId, TOPICS.transferAccepted)
        : 0;
      samples.push({ seconds: (poll.atMs - started) / 1000, graphCommitted: committed - graphStart });
      if (samples.length % 8 === 1) {
        const lags = running.map((s, i) => `${s.service.app}=${poll.lags[i]}`).join(' ');
        console.log(`  ${((poll.atMs - started) / 1000).toFixed(1)} s, lag ${lags}`);
      }
      if (producedAt === undefined) continue;
      if (graphDoneAt === undefined && stageDone(running, poll, ['ingest', 'graph'])) graphDoneAt = poll.atMs;
      if (graphDoneAt !== undefined && stageDone(running, poll, ['ingest', 'graph', 'detector']))
        allDoneAt = poll.atMs;
    }
    await producing;
    const cpuSeconds = cpuBetween(cpuBefore, cpuSnapshot(pids));
    const acceptedEnds = await partitionEnds(admin, TOPICS.transferAccepted);
    const repository = new TransferRepository(driver, database);
    let found = 0;
    for (let i = 0; i < feed.transferIds.length; i += 20_000) {
      const copies = await repository.countCopies(feed.transferIds.slice(i, i + 20_000));
      for (const n of copies.values()) if (n > 0) found += 1;
    }
    const secondsOf = (at: number | undefined) =>
      at === undefined ? null : Number(((at - started) / 1000).toFixed(2));
    const rateOf = (at: number | undefined) =>
      at === undefined ? null : Math.round(transfers / ((at - started) / 1000));
    // Steady state: the graph writer's progress between 10 % and 90 % of the run's transfers.
    const t10 = samples.find((s) => s.graphCommitted >= transfers * 0.1);
    const t90 = samples.find((s) => s.graphCommitted >= transfers * 0.9);
    const steady =
      t10 && t90 && t90.seconds > t10.seconds
        ? Math.round((t90.graphCommitted - t10.graphCommitted) / (t90.seconds - t10.seconds))
        : null;
    const endToEnd = rateOf(allDoneAt);
    return {
      cpuBefore,
      window: { started, ended: allDoneAt ?? performance.now(), acceptedStarts, acceptedEnds },
      figures: {
        transfers,
        transfersFoundInGraph: found,
        produceSeconds: secondsOf(producedAt),
        produceRatePerSecond: rateOf(producedAt),
        secondsToGraphCommitted: secondsOf(graphDoneAt),
        secondsToDetectorsEvaluated: secondsOf(allDoneAt),
        graphTransfersPerSecond: rateOf(graphDoneAt),
        endToEndTransfersPerSecond: endToEnd,
        steadyStateGraphTransfersPerSecond: steady,
        cpuSeconds,
        // Where the budget goes: CPU microseconds each process spent per transfer of the throughput phase.
        cpuMicrosecondsPerTransfer: Object.fromEntries(
          Object.entries(cpuSeconds).map(([name, seconds]) => [
            name,
            transfers > 0 ? Math.round((seconds * 1_000_000) / transfers) : null,
          ]),
        ),
        target: atLeast(endToEnd, TARGETS.transfersPerSecond, ' transfers/s'),
      },
    };
  });

  // 4. Detection quality: alerts of phase 3, once the tracer's deferred traces have run (a case waits up to
  // PROCEEDS_RETRACE_MAX_DELAY_MS for its trace from the graph; on a loaded machine some were still waiting and
  // their cross-border alerts were under-counted) and the watcher has read the alert topic to its end (a fixed
  // grace left the last cross-border alerts unread).
  await waitForDeferredTraces(servers.redisUrl, serviceEnv.REDIS_KEY_PREFIX);
  // The traces the throughput phase deferred ran after its detectors caught up: their CPU is the phase's too.
  const cpuThroughDeferredTraces = cpuBetween(throughput.cpuBefore, cpuSnapshot(pids));
  await waitForWatcherAtEnd(admin, watcher.groupId);
  const scenarioAlerts = latestAlertVersions(watcher.between(throughput.window.started));
  const positives = new Set(
    [...feed.roles].filter(([, role]) => POSITIVE_ROLES.has(role)).map(([key]) => key),
  );
  const scoredAlerts = scenarioAlerts.flatMap((a) =>
    a.flaggedAccounts.map((accountKey) => ({ accountKey, typology: a.typology })),
  );
  const detection = {
    alertsReceived: scenarioAlerts.length,
    ...scoreDetections({ accounts: new Set(feed.roles.keys()), positives, alerts: scoredAlerts }),
    // The mule detectors alone (mule-detector and network-detector): what they find without any victim report,
    // which is what matters where most victims never report.
    muleDetectorsOnly: scoreDetections({
      accounts: new Set(feed.roles.keys()),
      positives,
      alerts: scoredAlerts.filter((a) => MULE_DETECTOR_TYPOLOGIES.has(a.typology)),
    }),
    // Which criminal-side accounts the mule detectors alone find, by role and by how fast the operation moved.
    muleDetectorsOnlyFound: foundBy(
      positives,
      new Set(scoredAlerts.filter((a) => MULE_DETECTOR_TYPOLOGIES.has(a.typology)).map((a) => a.accountKey)),
      { role: feed.roles, timeScale: feed.timeScales },
    ),
  };

  // 4b. Proceeds tracer (issue 10): its CPU share in phase 3, victim report → cross-border alert latency.
  await phase('proceeds', async () =>
    (await import('./pipeline/proceeds-latency')).measureProceeds({
      producer,
      watcher,
      messages: feed.messages,
      cpuSeconds: throughput.figures.cpuSeconds,
      cpuSecondsThroughDeferredTraces: cpuThroughDeferredTraces,
      tag: run,
    }),
  );

  // 5. Event→alert latency at a fixed offered rate, then a short step search for the highest rate within target.
  const measureAt = async (ratePerSecond: number, seconds: number, step: number) => {
    const started = performance.now();
    const paced = await runPacedFeed(producer, {
      tag: step === 0 ? run : `${run}s${step}`,
      seed: seed + step,
      ratePerSecond,
      seconds,
      patternsPerSecond: Number(args['patterns-per-second']),
      accounts: 200_000,
    });
    const drainDeadline = performance.now() + 3 * 60_000;
    while (performance.now() < drainDeadline) {
      const poll = await pollLags(admin, running);
      if (poll.lags.every((lag) => lag === 0)) break;
      await sleep(250);
    }
    await waitForWatcherAtEnd(admin, watcher.groupId);
    const alerts = watcher.between(started);
    const samples: number[] = [];
    const alertedPlanted = new Set<string>();
    for (const alert of alerts) {
      const times = alert.evidenceStrings.flatMap((s) => {
        const at = paced.producedAt.get(s);
        return at === undefined ? [] : [at];
      });
      if (times.length === 0) continue;
      samples.push(alert.receivedAtMs - Math.max(...times));
      if (paced.plantedMules.has(alert.accountKey)) alertedPlanted.add(alert.accountKey);
    }
    return { paced, alerts, samples, alertedPlanted, eventToAlert: summarise(samples) };
  };
  const latency = await phase('latency', async () => {
    const { paced, alerts, samples, alertedPlanted, eventToAlert } = await measureAt(
      Number(args['offered-rate']),
      Number(args['latency-seconds']),
      0,
    );
    const stepSearch =
      Number(args['step-seconds']) > 0
        ? await searchHighestRate(
            async (rate, seconds, step) => {
              const measured = await measureAt(rate, seconds, step + 1);
              return {
                achievedRatePerSecond: measured.paced.achievedRatePerSecond,
                eventToAlert: measured.eventToAlert,
              };
            },
            {
              startRatePerSecond: Number(args['step-start-rate']),
              maxRatePerSecond: Number(args['step-max-rate']),
              secondsPerStep: Number(args['step-seconds']),
              targetP99Ms: TARGETS.p99EventToAlertMs,
            },
          )
        : null;
    return {
      offeredRatePerSecond: Number(args['offered-rate']),
      achievedRatePerSecond: paced.achievedRatePerSecond,
      seconds: paced.seconds,
      produced: paced.produced,
      plantedMules: paced.plantedMules.size,
      plantedMulesAlerted: alertedPlanted.size,
      alerts: alerts.length,
      alertsWithKnownEvidence: samples.length,
      eventToAlert,
      target: atMost(eventToAlert.p99Ms, TARGETS.p99EventToAlertMs, ' ms p99'),
      stepSearch,
    };
  });
  memory.sample();
  clearInterval(memoryTimer);
  stopServices(running);
  await watcher.stop();
  await producer.disconnect();

  // 6. Ceilings on the same data, with the services stopped.
  const ceilings = await phase('ceilings', async () => {
    const { ceiling: kafkaConsume, values } = await measureKafkaCeiling(
      servers.kafkaBrokers,
      TOPICS.transferAccepted,
      throughput.window.acceptedStarts,
      throughput.window.acceptedEnds,
      `bench-raw-${run}`,
    );
    const neo4jWrite = await measureNeo4jCeiling(driver, database, values);
    const lower = Math.min(kafkaConsume.messagesPerSecond, neo4jWrite.rowsPerSecond);
    const pipeline = throughput.figures.endToEndTransfersPerSecond;
    const share = pipeline !== null && lower > 0 ? Number((pipeline / lower).toFixed(3)) : null;
    return {
      kafkaConsume,
      neo4jWrite,
      lowerCeilingPerSecond: lower,
      pipelineShareOfCeiling: share,
      target: atLeast(share, TARGETS.shareOfCeiling, ' of the lower ceiling'),
    };
  });

  // 7. Trace latency on the whole graph.
  const traces = await phase('traces', async () => {
    const graphTransfers = await graphTransferCount(driver, database);
    const withRole = (role: string) => [...feed.roles].filter(([, r]) => r === role).map(([key]) => key);
    const queries = Number(args['trace-queries']);
    const backwardFromMule = await measureTraces(driver, database, 'backward', withRole('mule'), queries);
    const forwardFromVictim = await measureTraces(driver, database, 'forward', withRole('victim'), queries);
    const p95 = Math.max(backwardFromMule.p95Ms ?? Infinity, forwardFromVictim.p95Ms ?? Infinity);
    return {
      graphTransfers,
      backwardFromMule,
      forwardFromVictim,
      target: atMost(Number.isFinite(p95) ? p95 : null, TARGETS.p95TraceMs, ' ms p95, both directions'),
    };
  });

  // 8. The proceeds tracer's carried cases against a trace of the graph (the differential check of issue 10, under
  // this run's real arrival orders): every case the run reported.
  const proceedsReconcile = await phase('reconcile', async () => {
    const redis = new Redis(servers.redisUrl, { keyPrefix: serviceEnv.REDIS_KEY_PREFIX });
    try {
      const report = await reconcileStoredCases(
        redis,
        driver,
        loadProceedsTracerConfig({ ...process.env, ...serviceEnv }),
      );
      const counts = {
        cases: report.cases,
        agreeing: report.agreeing,
        disagreeing: report.disagreeing,
        fifoDiffering: report.fifoDiffering,
        crossBorderMissing: report.crossBorderMissing,
        suspiciousMissing: report.suspiciousMissing,
        unreadableRecords: report.unreadableRecords,
      };
      console.log(`  ${JSON.stringify(counts)}`);
      // The sample shows FIFO differences first: haircut ones are mostly the residues the state prunes by design.
      const fifoFirst = [...report.differences].sort(
        (a, b) =>
          Number(b.holders.some((h) => h.carried.fifo !== h.traced.fifo)) -
          Number(a.holders.some((h) => h.carried.fifo !== h.traced.fifo)),
      );
      return {
        ...counts,
        disagreeingCaseIds: report.differences.map((d) => d.caseId),
        sample: fifoFirst.slice(0, 5),
      };
    } finally {
      redis.disconnect();
    }
  });

  // Clean-up of what only this run used: its Redis keys and its consumer groups.
  // A disagreement keeps the run's state for diagnosis: it is rare, and the state is gone once deleted.
  const keepForDiagnosis = proceedsReconcile.disagreeing > 0;
  await phase('clean-up', async () => {
    if (args['keep-state'] || keepForDiagnosis) {
      console.log(`  kept the run's Redis keys (prefix bench-${run}:)`);
      if (keepForDiagnosis) {
        console.log(
          `  ${proceedsReconcile.disagreeing} case(s) disagree with the graph: npm run trace:reconcile -- --prefix ` +
            `bench-${run}: --cases ${proceedsReconcile.disagreeingCaseIds.join(',')}; afterwards ` +
            `redis-cli --scan --pattern 'bench-${run}:*' | xargs -r -n 1000 redis-cli unlink`,
        );
      }
    } else {
      const redis = new Redis(servers.redisUrl);
      let keys = 0;
      for await (const batch of redis.scanStream({ match: `bench-${run}:*`, count: 1_000 })) {
        const found = batch as string[];
        if (found.length > 0) keys += await redis.unlink(...found);
      }
      redis.disconnect();
      console.log(`  removed ${keys} Redis keys`);
    }
    await admin
      .deleteGroups([...running.map((s) => s.groupId), watcher.groupId, `bench-raw-${run}`])
      .catch(() => undefined);
  });

  const result = {
    benchmark: 'pipeline',
    scenario: scenarioName,
    seed,
    runTag: run,
    environment: {
      ...environment,
      loadAverageAtEnd: loadavg().map((l) => Number(l.toFixed(2))),
      otherBusyProcesses: otherBusyProcesses(Object.values(pids).filter((p): p is number => p !== undefined)),
      services: PIPELINE_SERVICES.map((s) => s.app),
    },
    events: {
      byTopic: feed.eventsByTopic,
      transfers,
      groundTruthRecords: feed.groundTruthRecords,
      labelledAccounts: feed.roles.size,
      positiveAccounts: positives.size,
    },
    graph: { transfersBefore, topUp, transfersAtTrace: traces.graphTransfers },
    throughput: throughput.figures,
    ceilings,
    latency,
    traces,
    proceedsReconcile,
    memoryMiB: memory.result(),
    detection,
    phasesSeconds: phases,
    totalSeconds: Number(((performance.now() - benchStarted) / 1000).toFixed(1)),
  };
  const file = writeResult(scenarioName, result);
  await admin.disconnect();
  await driver.close();

  const verdict = (pass: boolean) => (pass ? 'pass' : 'MISS');
  const t = result.throughput;
  console.log(
    `\n${scenarioName} seed ${seed}, commit ${environment.gitCommit?.slice(0, 8) ?? '?'}, ${environment.cpuCount} CPUs`,
  );
  console.table([
    {
      figure: 'end-to-end transfers/s (produce → graph + detectors)',
      value: t.endToEndTransfersPerSecond,
      target: t.target.target,
      result: verdict(t.target.pass),
    },
    { figure: 'transfers/s to graph committed', value: t.graphTransfersPerSecond, target: '', result: '' },
    {
      figure: 'steady-state graph transfers/s',
      value: t.steadyStateGraphTransfersPerSecond,
      target: '',
      result: '',
    },
    {
      figure: 'Kafka raw consume msgs/s',
      value: ceilings.kafkaConsume.messagesPerSecond,
      target: '',
      result: '',
    },
    {
      figure: 'Neo4j raw batched write rows/s',
      value: ceilings.neo4jWrite.rowsPerSecond,
      target: '',
      result: '',
    },
    {
      figure: 'share of lower ceiling',
      value: ceilings.pipelineShareOfCeiling,
      target: ceilings.target.target,
      result: verdict(ceilings.target.pass),
    },
    {
      figure: `event→alert p50 ms @${latency.offeredRatePerSecond}/s`,
      value: latency.eventToAlert.p50Ms,
      target: '',
      result: '',
    },
    { figure: 'event→alert p95 ms', value: latency.eventToAlert.p95Ms, target: '', result: '' },
    {
      figure: 'event→alert p99 ms',
      value: latency.eventToAlert.p99Ms,
      target: latency.target.target,
      result: verdict(latency.target.pass),
    },
    {
      figure: `highest offered rate with p99 ≤ ${TARGETS.p99EventToAlertMs} ms (step search)`,
      value: latency.stepSearch?.highestPassingRatePerSecond ?? null,
      target: '',
      result: '',
    },
    {
      figure: '6-hop backward trace p50/p95 ms',
      value: `${traces.backwardFromMule.p50Ms}/${traces.backwardFromMule.p95Ms}`,
      target: '',
      result: '',
    },
    {
      figure: '6-hop forward trace p50/p95 ms',
      value: `${traces.forwardFromVictim.p50Ms}/${traces.forwardFromVictim.p95Ms}`,
      target: traces.target.target,
      result: verdict(traces.target.pass),
    },
    {
      figure: 'graph transfers at trace time',
      value: traces.graphTransfers,
      target: '>= 1000000',
      result: verdict(traces.graphTransfers >= 1_000_000),
    },
  ]);
  console.log('detection per typology (account level):');
  console.table(
    Object.fromEntries(
      [['(any)', detection.overall] as const, ...Object.entries(detection.perTypology)].map(([k, s]) => [
        k,
        { precision: s.precision, recall: s.recall, f1: s.f1, tp: s.tp, fp: s.fp, fn: s.fn },
      ]),
    ),
  );
  const muleOnly = detection.muleDetectorsOnly;
  console.log(
    `mule detectors alone (no proceeds alerts): precision ${muleOnly.overall.precision}, ` +
      `recall ${muleOnly.overall.recall}, F1 ${muleOnly.overall.f1}`,
  );
  for (const [grouping, counts] of Object.entries(detection.muleDetectorsOnlyFound)) {
    const parts = Object.entries(counts).map(([value, c]) => `${value} ${c.found}/${c.positives}`);
    console.log(`  found by the mule detectors alone, by ${grouping}: ${parts.join(', ')}`);
  }
  console.log('memory MiB (max sampled RSS / kernel peak):');
  console.table(result.memoryMiB);
  console.log(`CPU seconds during the throughput phase: ${JSON.stringify(t.cpuSeconds)}`);
  console.log(`CPU µs per transfer (throughput phase): ${JSON.stringify(t.cpuMicrosecondsPerTransfer)}`);
  console.log(`phases (s): ${JSON.stringify(phases)}; total ${result.totalSeconds} s`);
  console.log(`written to ${file}`);
};

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(1);
});
