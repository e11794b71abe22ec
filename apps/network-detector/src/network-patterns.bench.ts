import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import neo4j from 'neo4j-driver';
import { NetworkPatternRepository } from '@scamflow/graph';
import { loadNetworkDetectorConfig } from './network-detector.config';

/**
 * Cost of the chain/cycle query per committed message of 1,000 transfers, on whatever graph the configured
 * Neo4j holds (random committed transfers, default thresholds). Prints figures and writes bench-results JSON.
 */
const main = async (): Promise<void> => {
  const config = loadNetworkDetectorConfig();
  const driver = neo4j.driver(
    config.NEO4J_URL,
    config.NEO4J_USER ? neo4j.auth.basic(config.NEO4J_USER, config.NEO4J_PASSWORD) : undefined,
  );
  const repo = new NetworkPatternRepository(driver, config.NEO4J_DATABASE);
  const db = { database: config.NEO4J_DATABASE };
  const total = (
    await driver.executeQuery('MATCH ()-[t:TRANSFERRED_TO]->() RETURN count(t) AS n', {}, db)
  ).records[0]?.get('n') as { toNumber(): number };
  const rounds = 8;
  const timings: number[] = [];
  let patterns = 0;
  for (let i = 0; i < rounds; i += 1) {
    const { records } = await driver.executeQuery(
      'MATCH ()-[t:TRANSFERRED_TO]->() WITH t SKIP toInteger(rand() * $skip) LIMIT 1000 RETURN t.transferId AS id',
      { skip: Math.max(0, total.toNumber() - 1000) },
      db,
    );
    const ids = records.map((r) => r.get('id') as string);
    const started = process.hrtime.bigint();
    const found = await repo.findChainsAndCycles(ids, {
      maxDegree: config.NETWORK_MAX_ACCOUNT_DEGREE,
      maxGapMs: config.LAYERING_MAX_GAP_MS,
      minKeptRatio: config.LAYERING_MIN_KEPT_RATIO,
      maxGainRatio: config.LAYERING_MAX_GAIN_RATIO,
      cycleWindowMs: config.ROUND_TRIP_WINDOW_MS,
      minReturnedRatio: config.ROUND_TRIP_MIN_RETURNED_RATIO,
      maxPathsPerTransfer: config.NETWORK_MAX_PATHS_PER_TRANSFER,
    });
    timings.push(Number(process.hrtime.bigint() - started) / 1e6);
    patterns += found.length;
  }
  await driver.close();
  const sorted = [...timings].sort((a, b) => a - b);
  const result = {
    graphTransfers: total.toNumber(),
    transfersPerMessage: 1000,
    rounds,
    msPerMessage: { min: sorted[0], median: sorted[Math.floor(rounds / 2)], max: sorted.at(-1) },
    patternsFound: patterns,
    measuredAt: new Date().toISOString(),
  };
  console.log(JSON.stringify(result, null, 2));
  const dir = path.join(__dirname, '..', '..', '..', 'bench-results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'network-patterns.json'), JSON.stringify(result, null, 2));
};

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
