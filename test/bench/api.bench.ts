/**
 * Investigator API benchmark: 20 concurrent clients against the API on a graph of at least a million
 * transfers; p50/p95 of forward traces from victims, account profiles and alert-list pages.
 *
 *   npm run bench:api -- [--transfers 1000000] [--clients 20] [--requests 30] [--seed 42] [--cpu-prof-dir DIR]
 *
 * 1. plant: the simulator's demo scenario (victims, mules, collectors, VASPs) is written into the graph
 *    through the graph writer's repository (the pipeline benchmark's top-up helper), and its ground-truth
 *    victims are the trace starts, together with the victims of victim reports already in the graph;
 * 2. graph top-up: background traffic of the standard scenario until the graph holds --transfers transfers
 *    (same helper; nothing is written when the graph is already that large);
 * 3. the API runs as its own process, compiled as deployed (`npm run bench:api` builds first; NODE_ENV=production,
 *    `dist/apps/investigator-api/src/main.js`), HTTP only (the inbox store is read as the demo or pipeline left
 *    it), with a throwaway JWT secret and no practical rate limit;
 * 4. warm-up (unmeasured), then one client alone sends --requests rounds (each call's own cost, no queue), then
 *    --clients clients each send --requests rounds of
 *    trace (GET /accounts/{victim}/trace?direction=forward&hops=6) → profile (GET /accounts/{key} of an
 *    account a trace reached) → alert list (GET /alerts?limit=50); every latency is client-side, over HTTP.
 *    CPU seconds of the API, Neo4j, Kafka, Redis and the benchmark itself are taken over the loaded phase.
 * Targets (issue 9): trace p95 ≤ 100 ms, list p95 ≤ 50 ms; a miss never fails the process.
 *
 * bench-results/api.json (fields are added, never renamed):
 * {
 *   benchmark: 'api', seed, runTag,
 *   environment: { date, gitCommit, gitDirty, cpuCount, cpuModel, memoryGiB, nodeVersion, loadAverageAtStart,
 *                  loadAverageAtEnd, servers: { kafka, neo4j, redis } },
 *   graph: { transfersBefore, planted: TopUpResult, topUp: TopUpResult | null, transfersAtRun },
 *   load: { clients, requestsPerClient, seconds, traceStarts, profileAccounts, alertsInStore },
 *   calls: { trace: Call, profile: Call, alertList: Call },
 *   singleClient: { seconds, calls: { trace: Call, profile: Call, alertList: Call } },
 *   cpu: { seconds: { api, neo4j, kafka, redis, bench }, msPerCall: { api, neo4j } },
 *   targets: { traceP95: Judged, alertListP95: Judged },
 *   totalSeconds
 * }
 * Call = { samples, p50Ms, p95Ms, p99Ms, maxMs, errors, statuses: { <code>: n } }; Judged = { value, target, pass }.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { isInt, type Driver } from 'neo4j-driver';
import { createNeo4jDriver, InvestigationRepository } from '@scamflow/graph';
import { endpointsEnv, resolveEndpoints } from '@scamflow/infra';
import { mintToken } from '../../apps/investigator-api/src/auth/mint-token';
import { GROUND_TRUTH_STREAM, simulateFlows } from '../../apps/scam-simulator/src/simulate-flows.service';
import { SCENARIOS } from '../../apps/scam-simulator/src/scenarios';
import { ROOT, sleep, writeResult } from './bench-support';
import { GRAPH_TRANSFER_COUNT } from './pipeline/bench.cypher';
import { describeEnvironment } from './pipeline/environment';
import { topUpGraph } from './pipeline/graph-top-up';
import { cpuBetween, cpuSnapshot, serverPids } from './pipeline/process-stats';
import { atMost, summarise } from './pipeline/stats';

const { values: args } = parseArgs({
  options: {
    transfers: { type: 'string', default: '1000000' },
    clients: { type: 'string', default: '20' },
    requests: { type: 'string', default: '30' },
    seed: { type: 'string', default: '42' },
    /** Writes a V8 CPU profile of the API process into this directory (open it in Chrome DevTools). */
    'cpu-prof-dir': { type: 'string' },
  },
});

const TARGETS = { traceP95Ms: 100, alertListP95Ms: 50 } as const;
const CALLS = ['trace', 'profile', 'alertList'] as const;
type CallName = (typeof CALLS)[number];

const graphTransferCount = async (driver: Driver, database: string): Promise<number> => {
  const { records } = await driver.executeQuery(GRAPH_TRANSFER_COUNT, {}, { database });
  const n: unknown = records[0]?.get('transfers');
  return isInt(n) ? n.toNumber() : 0;
};

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });

/** Ground-truth victims of a simulated scenario (the same generator the top-up writes from). */
const victimsOf = (seed: number, transfers: number): string[] => {
  const victims = new Set<string>();
  for (const line of simulateFlows({ scenario: SCENARIOS.demo, seed, transfers })) {
    if (line.stream !== GROUND_TRUTH_STREAM) continue;
    const record = JSON.parse(line.line) as { record?: string; role?: string; accountKey?: string };
    if (record.record === 'account' && record.role === 'victim' && record.accountKey)
      victims.add(record.accountKey);
  }
  return [...victims];
};

const waitForReady = async (baseUrl: string, child: ChildProcess): Promise<void> => {
  for (let i = 0; i < 240; i += 1) {
    if (child.exitCode !== null) throw new Error(`investigator-api exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${baseUrl}/health/ready`)).ok) return;
    } catch {
      // Not listening yet.
    }
    await sleep(500);
  }
  throw new Error('investigator-api did not become ready within 120 s');
};

interface Recorder {
  readonly durations: Record<CallName, number[]>;
  readonly statuses: Record<CallName, Record<string, number>>;
}

const timed = async (
  recorder: Recorder | null,
  call: CallName,
  url: string,
  token: string,
): Promise<unknown> => {
  const started = performance.now();
  let status = 'network-error';
  let body: unknown;
  try {
    const response = await fetch(url, {
      headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
    });
    status = String(response.status);
    body = await response.json();
  } finally {
    if (recorder) {
      recorder.durations[call].push(performance.now() - started);
      recorder.statuses[call][status] = (recorder.statuses[call][status] ?? 0) + 1;
    }
  }
  return body;
};

const main = async (): Promise<void> => {
  const benchStarted = performance.now();
  const seed = Number(args.seed);
  const minTransfers = Number(args.transfers);
  const clients = Number(args.clients);
  const requests = Number(args.requests);
  const run = randomBytes(4).toString('hex');
  const servers = await resolveEndpoints();
  const database = servers.neo4jDatabase;
  // The services' own driver factory (sockets without Nagle), so queries cost here what they cost there.
  const driver = createNeo4jDriver({
    url: servers.neo4jUrl,
    user: servers.neo4jUser ?? '',
    password: servers.neo4jPassword ?? '',
    database,
  });
  const environment = await describeEnvironment(driver, database, servers.redisUrl);
  console.log(`api benchmark, run ${run}, load ${environment.loadAverageAtStart.join(' ')}`);

  const transfersBefore = await graphTransferCount(driver, database);
  const plantTransfers = 400;
  console.log('▶ plant the demo scenario');
  const planted = await topUpGraph(
    driver,
    database,
    SCENARIOS.demo,
    seed,
    plantTransfers,
    `${run}1`,
    () => undefined,
  );
  const investigation = new InvestigationRepository(driver, database);
  const traceStarts = [
    ...new Set([...victimsOf(seed, plantTransfers), ...(await investigation.recentVictimAccounts(200))]),
  ];
  const missing = minTransfers - (await graphTransferCount(driver, database));
  let topUp = null;
  if (missing > 0) {
    console.log(`▶ graph top-up: ${missing} transfers`);
    topUp = await topUpGraph(
      driver,
      database,
      SCENARIOS.standard,
      seed + 1,
      missing,
      `${run}0`,
      (written) => {
        if (written % 100_000 < 5_000) console.log(`  written ${written}/${missing}`);
      },
    );
  }
  const transfersAtRun = await graphTransferCount(driver, database);

  console.log('▶ start investigator-api');
  const port = await freePort();
  const secret = randomBytes(32).toString('hex');
  const child = spawn(
    process.execPath,
    [
      ...(args['cpu-prof-dir'] ? ['--cpu-prof', `--cpu-prof-dir=${args['cpu-prof-dir']}`] : []),
      join(ROOT, 'dist', 'apps', 'investigator-api', 'src', 'main.js'),
    ],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        ...endpointsEnv(servers),
        NODE_ENV: 'production',
        API_PORT: String(port),
        API_HOST: '127.0.0.1',
        API_JWT_SECRET: secret,
        API_CONSUME_ALERTS: 'false',
        API_RATE_LIMIT: '100000000',
        API_AUDIT_CHAIN_ID: `bench-${run}`,
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'inherit', 'inherit'],
    },
  );
  const stop = () => {
    if (child.exitCode === null) child.kill('SIGTERM');
  };
  process.on('exit', stop);
  const baseUrl = `http://127.0.0.1:${port}`;
  try {
    await waitForReady(baseUrl, child);
    const investigator = mintToken(secret, { role: 'investigator', sub: `bench-investigator-${run}` });
    const analyst = mintToken(secret, { role: 'analyst', sub: `bench-analyst-${run}` });
    const traceUrl = (key: string) =>
      `${baseUrl}/accounts/${encodeURIComponent(key)}/trace?direction=forward&hops=6&limit=50`;

    console.log(`▶ warm-up over ${traceStarts.length} trace starts`);
    const profileAccounts = new Set<string>();
    for (const key of traceStarts.slice(0, 40)) {
      const body = (await timed(null, 'trace', traceUrl(key), investigator)) as {
        graph?: { nodes?: { accountKey: string }[] };
      };
      for (const node of body.graph?.nodes?.slice(0, 10) ?? []) profileAccounts.add(node.accountKey);
    }
    const profiles = [...profileAccounts];
    if (traceStarts.length === 0 || profiles.length === 0)
      throw new Error('no trace starts or accounts found in the graph');
    const firstPage = (await timed(null, 'alertList', `${baseUrl}/alerts?limit=50`, analyst)) as {
      counts?: Record<string, number>;
    };
    const alertsInStore = Object.values(firstPage.counts ?? {}).reduce((a, b) => a + b, 0);

    /** --requests rounds of trace → profile → list per client, all clients at once. */
    const runLoad = async (clientCount: number) => {
      const recorder: Recorder = {
        durations: { trace: [], profile: [], alertList: [] },
        statuses: { trace: {}, profile: {}, alertList: {} },
      };
      const started = performance.now();
      await Promise.all(
        Array.from({ length: clientCount }, async (_, client) => {
          for (let i = 0; i < requests; i += 1) {
            const n = client * requests + i;
            await timed(recorder, 'trace', traceUrl(traceStarts[n % traceStarts.length] ?? ''), investigator);
            const account = profiles[(n * 7) % profiles.length] ?? '';
            await timed(
              recorder,
              'profile',
              `${baseUrl}/accounts/${encodeURIComponent(account)}`,
              investigator,
            );
            await timed(recorder, 'alertList', `${baseUrl}/alerts?limit=50`, analyst);
          }
        }),
      );
      const seconds = Number(((performance.now() - started) / 1000).toFixed(1));
      const calls = Object.fromEntries(
        CALLS.map((call) => {
          const statuses = recorder.statuses[call];
          const errors = Object.entries(statuses)
            .filter(([status]) => status !== '200')
            .reduce((sum, [, n]) => sum + n, 0);
          return [call, { ...summarise(recorder.durations[call]), errors, statuses }];
        }),
      ) as Record<
        CallName,
        ReturnType<typeof summarise> & { errors: number; statuses: Record<string, number> }
      >;
      return { seconds, calls };
    };

    console.log(`▶ one client x ${requests} rounds`);
    const singleClient = await runLoad(1);
    console.log(`▶ load: ${clients} clients x ${requests} rounds`);
    const pids = { ...serverPids(), api: child.pid };
    const cpuBefore = cpuSnapshot(pids);
    const { seconds, calls } = await runLoad(clients);
    const cpuSeconds = cpuBetween(cpuBefore, cpuSnapshot(pids));
    const callCount = clients * requests * CALLS.length;
    const msPerCall = (name: string) => Number((((cpuSeconds[name] ?? 0) * 1000) / callCount).toFixed(2));
    const result = {
      benchmark: 'api',
      seed,
      runTag: run,
      environment: { ...environment, loadAverageAtEnd: loadavg().map((l) => Number(l.toFixed(2))) },
      graph: { transfersBefore, planted, topUp, transfersAtRun },
      load: {
        clients,
        requestsPerClient: requests,
        seconds,
        traceStarts: traceStarts.length,
        profileAccounts: profiles.length,
        alertsInStore,
      },
      calls,
      singleClient,
      cpu: { seconds: cpuSeconds, msPerCall: { api: msPerCall('api'), neo4j: msPerCall('neo4j') } },
      targets: {
        traceP95: atMost(calls.trace.p95Ms, TARGETS.traceP95Ms, ' ms'),
        alertListP95: atMost(calls.alertList.p95Ms, TARGETS.alertListP95Ms, ' ms'),
      },
      totalSeconds: Number(((performance.now() - benchStarted) / 1000).toFixed(1)),
    };
    const file = writeResult('api', result);
    console.log(`graph ${transfersAtRun} transfers; ${clients} clients, ${seconds} s`);
    for (const call of CALLS) {
      const c = calls[call];
      const alone = singleClient.calls[call];
      console.log(
        `  ${call.padEnd(10)} n=${c.samples} p50 ${c.p50Ms} ms  p95 ${c.p95Ms} ms  errors ${c.errors}` +
          `  (one client: p50 ${alone.p50Ms} ms, p95 ${alone.p95Ms} ms)`,
      );
    }
    console.log(
      `  CPU during the load: ${JSON.stringify(cpuSeconds)} s; per call API ${msPerCall('api')} ms, Neo4j ${msPerCall('neo4j')} ms`,
    );
    console.log(
      `  trace p95 target ≤ ${TARGETS.traceP95Ms} ms: ${result.targets.traceP95.pass ? 'pass' : 'miss'}`,
    );
    console.log(
      `  list p95 target ≤ ${TARGETS.alertListP95Ms} ms: ${result.targets.alertListP95.pass ? 'pass' : 'miss'}`,
    );
    console.log(`wrote ${file}`);
  } finally {
    stop();
    await driver.close();
  }
};

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
