/**
 * Ingest throughput: bank transfers from Kafka through ingest-gateway and graph-writer (each in its own
 * process, as deployed) into committed Neo4j writes. Prints a table and writes bench-results/ingest-throughput.json.
 *
 *   npm run bench:ingest -- [--transfers 200000] [--accounts 50000] [--seed 7]
 *
 * Method: the consumer groups are moved to the end of their topics, N generated transfers are produced,
 * then both services start. Progress is the graph writer's committed offset (it commits only after the
 * Neo4j transaction), so the figure is "transfers in committed graph writes per second".
 */
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import neo4j from 'neo4j-driver';
import { CONSUMED_TOPICS, TOPICS, type BankTransferReceived } from '@scamflow/contracts';
import { endpointsEnv, resolveEndpoints, startGroupsAtEnd, startService } from '@scamflow/infra';
import { SeededRandom } from '../../apps/scam-simulator/src/seeded-random';
import { cpuSecondsOf, memoryOf, sleep, stackPid, writeResult } from './bench-support';
import { groupOffsetSum, topicEndSum } from './pipeline/kafka-offsets';

const { values: args } = parseArgs({
  options: {
    transfers: { type: 'string', default: '200000' },
    accounts: { type: 'string', default: '50000' },
    seed: { type: 'string', default: '7' },
  },
});
const TRANSFERS = Number(args.transfers);
const ACCOUNTS = Number(args.accounts);
const BANKS = [
  'KASITHBK',
  'BKKBTHBK',
  'SCBLTHBX',
  'KRTHTHBK',
  'GSBATHBK',
  'TMBKTHBK',
  'ABAAKHPP',
  'DBSSSGSG',
];

const generate = (run: string, seed: number): BankTransferReceived[] => {
  const random = new SeededRandom(seed);
  const start = Date.now() - 24 * 3_600_000;
  const account = () => {
    const n = random.int(0, ACCOUNTS - 1);
    const bankId = BANKS[n % BANKS.length] ?? 'KASITHBK';
    return { accountId: `ACC${n}`, bankId, country: bankId.slice(4, 6) };
  };
  return Array.from({ length: TRANSFERS }, (_, i) => {
    const debtor = account();
    const cents = random.int(100, 5_000_099);
    return {
      schemaVersion: 1,
      reportedBy: debtor.bankId,
      transferId: `B${run}-${i}`,
      bookedAt: new Date(start + Math.floor((i / TRANSFERS) * 23 * 3_600_000)).toISOString(),
      amount: {
        value: `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`,
        currency: 'THB',
      },
      debtor,
      creditor: account(),
    };
  });
};

const main = async (): Promise<void> => {
  const run = randomUUID().slice(0, 6);
  const servers = await resolveEndpoints();
  const kafka = new Kafka({
    clientId: `bench-${run}`,
    brokers: servers.kafkaBrokers,
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  await admin.connect();
  const ingestGroup = `bench-ingest-${run}`;
  const graphGroup = `bench-graph-${run}`;
  // New groups start at the current end of the topics: earlier runs' messages are not re-read.
  await startGroupsAtEnd(servers.kafkaBrokers, [
    { groupId: ingestGroup, topics: CONSUMED_TOPICS.ingestGateway },
    { groupId: graphGroup, topics: CONSUMED_TOPICS.graphWriter },
  ]);
  const acceptedStart = await topicEndSum(admin, TOPICS.transferAccepted);
  const graphStart = await groupOffsetSum(admin, graphGroup, TOPICS.transferAccepted);

  const events = generate(run, Number(args.seed));
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  const produceStart = performance.now();
  for (let i = 0; i < events.length; i += 2_000) {
    await producer.send({
      topic: TOPICS.bankTransferReceived,
      messages: events
        .slice(i, i + 2_000)
        .map((e) => ({ key: e.debtor.accountId, value: JSON.stringify(e) })),
    });
  }
  const produceSeconds = (performance.now() - produceStart) / 1000;
  await producer.disconnect();
  console.log(`produced ${TRANSFERS} transfers in ${produceSeconds.toFixed(1)} s`);

  const env = {
    ...endpointsEnv(servers),
    INGEST_GROUP_ID: ingestGroup,
    GRAPH_WRITER_GROUP_ID: graphGroup,
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn',
  };
  const ingest = startService('ingest-gateway', env);
  const writer = startService('graph-writer', env);
  // Never leave the services running if the benchmark itself fails.
  process.on('exit', () => {
    ingest.kill('SIGTERM');
    writer.kill('SIGTERM');
  });
  const startedAt = performance.now();
  const pids = {
    ingestGateway: ingest.pid,
    graphWriter: writer.pid,
    kafka: stackPid('kafka'),
    neo4j: stackPid('neo4j'),
  };
  const cpuAt = () =>
    Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, cpuSecondsOf(pid) ?? 0]));
  const cpuBefore = cpuAt();
  let cpuAfter = cpuBefore;
  let firstProgressAt: number | undefined;
  let done = 0;
  const samples: { seconds: number; committed: number }[] = [];
  const memory = { ingest: memoryOf(ingest.pid), writer: memoryOf(writer.pid) };
  const deadline = startedAt + 20 * 60_000;
  while (done < TRANSFERS && performance.now() < deadline) {
    await sleep(500);
    done = (await groupOffsetSum(admin, graphGroup, TOPICS.transferAccepted)) - graphStart;
    if (done > 0 && firstProgressAt === undefined) firstProgressAt = performance.now();
    samples.push({ seconds: (performance.now() - startedAt) / 1000, committed: done });
    memory.ingest = memoryOf(ingest.pid) ?? memory.ingest;
    memory.writer = memoryOf(writer.pid) ?? memory.writer;
    cpuAfter = cpuAt();
    process.stdout.write(`\r  committed graph writes: ${done}/${TRANSFERS}`);
  }
  const finishedAt = performance.now();
  process.stdout.write('\n');
  const accepted = (await topicEndSum(admin, TOPICS.transferAccepted)) - acceptedStart;
  ingest.kill('SIGTERM');
  writer.kill('SIGTERM');

  const driver = neo4j.driver(
    servers.neo4jUrl,
    servers.neo4jUser ? neo4j.auth.basic(servers.neo4jUser, servers.neo4jPassword ?? '') : undefined,
  );
  const inGraph = await driver.executeQuery(
    'UNWIND $ids AS id MATCH ()-[t:TRANSFERRED_TO {transferId: id}]->() RETURN count(t) AS n',
    { ids: events.filter((_, i) => i % 1000 === 0).map((e) => `bank:${e.reportedBy}:${e.transferId}`) },
    { database: servers.neo4jDatabase },
  );
  await driver.close();
  await admin.disconnect();

  const activeSeconds = (finishedAt - (firstProgressAt ?? startedAt)) / 1000;
  const totalSeconds = (finishedAt - startedAt) / 1000;
  const sampledInGraph = (inGraph.records[0]?.get('n') as { toNumber(): number }).toNumber();
  const result = {
    benchmark: 'ingest-throughput',
    date: new Date().toISOString(),
    transfers: TRANSFERS,
    accounts: ACCOUNTS,
    completed: done >= TRANSFERS,
    acceptedMessages: accepted,
    sampledTransfersFoundInGraph: `${sampledInGraph}/${Math.ceil(TRANSFERS / 1000)}`,
    produceRatePerSecond: Math.round(TRANSFERS / produceSeconds),
    sustainedTransfersPerSecond: Math.round(done / activeSeconds),
    includingStartupTransfersPerSecond: Math.round(done / totalSeconds),
    secondsFromServiceStartToFirstCommit: Number(
      (((firstProgressAt ?? finishedAt) - startedAt) / 1000).toFixed(1),
    ),
    activeSeconds: Number(activeSeconds.toFixed(1)),
    memoryMiB: {
      ingestGateway: memory.ingest,
      graphWriter: memory.writer,
      kafka: memoryOf(stackPid('kafka')),
      neo4j: memoryOf(stackPid('neo4j')),
    },
    /** Where the time went: CPU seconds per process from service start to the last commit (2 cores available). */
    cpuSeconds: Object.fromEntries(
      Object.keys(pids).map((name) => [
        name,
        Number(((cpuAfter[name] ?? 0) - (cpuBefore[name] ?? 0)).toFixed(1)),
      ]),
    ),
    samples: samples.filter((_, i) => i % 4 === 0),
  };
  const file = writeResult('ingest-throughput', result);
  console.table({
    transfers: result.transfers,
    'sustained transfers/s (Kafka → committed graph writes)': result.sustainedTransfersPerSecond,
    'including service start-up, transfers/s': result.includingStartupTransfersPerSecond,
    'producer rate, transfers/s': result.produceRatePerSecond,
    'sampled transfers found in graph': result.sampledTransfersFoundInGraph,
  });
  console.log(`memory (MiB): ${JSON.stringify(result.memoryMiB)}`);
  console.log(`CPU seconds over ${result.activeSeconds} s active: ${JSON.stringify(result.cpuSeconds)}`);
  console.log(`written to ${file}`);
  if (!result.completed) process.exitCode = 1;
};

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(1);
});
