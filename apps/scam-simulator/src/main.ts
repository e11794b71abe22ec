import { Presets, SingleBar } from 'cli-progress';
import { SCAM_SIMULATOR_USAGE, SimulatorUsageError, loadScamSimulatorConfig } from './scam-simulator.config';
import { SCENARIOS } from './scenarios';
import { runSimulation } from './run-simulation';
import { JsonlDirectorySink, KafkaSimulationSink, type SimulationSink } from './simulation.sink';

const run = async (): Promise<number> => {
  const request = loadScamSimulatorConfig(process.argv.slice(2));
  if (request.help) {
    console.log(SCAM_SIMULATOR_USAGE);
    return 0;
  }
  const { config } = request;
  const scenario = SCENARIOS[config.scenario];
  const sink: SimulationSink =
    config.outDir !== undefined
      ? await JsonlDirectorySink.open(config.outDir)
      : KafkaSimulationSink.create(config.brokers ?? [], config.truthOut);
  const bar = config.progress
    ? new SingleBar(
        {
          format: `${scenario.name} {bar} day {value}/{total} | {events} events | ETA {eta_formatted}`,
          stream: process.stderr,
          hideCursor: true,
          fps: 5,
        },
        Presets.shades_classic,
      )
    : undefined;
  bar?.start(scenario.days, 0, { events: '0' });
  const startedAt = process.hrtime.bigint();
  const { counts, events } = await runSimulation(
    {
      scenario,
      seed: config.seed,
      transfers: config.transfers,
      namespace: config.namespace,
      startAt: config.startAt,
    },
    sink,
    (p) => bar?.update(p.day, { events: p.events.toLocaleString('en-US') }),
  ).finally(() => bar?.stop());
  const seconds = Number(process.hrtime.bigint() - startedAt) / 1e9;
  console.log(
    `scam-simulator ${scenario.name} seed ${config.seed}: ${events} events in ${seconds.toFixed(1)} s ` +
      `(${Math.round(events / seconds)} events/s), peak RSS ${Math.round(process.resourceUsage().maxRSS / 1024)} MiB`,
  );
  for (const [stream, count] of [...counts].sort()) console.log(`  ${stream}: ${count}`);
  return 0;
};

run().then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof SimulatorUsageError) {
      console.error(`${error.message}\n\n${SCAM_SIMULATOR_USAGE}`);
      process.exit(2);
    }
    console.error('scam-simulator failed:', error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
