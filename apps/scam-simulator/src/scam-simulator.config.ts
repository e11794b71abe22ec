import { parseArgs } from 'node:util';
import { z } from 'zod';
import { SCENARIO_NAMES } from './scenarios';
import { NAMESPACE_PATTERN } from './sim-world';

export const SCAM_SIMULATOR_USAGE = `Usage:
  scam-simulator --scenario demo|standard|realistic --seed <n> (--out-dir <dir> | --brokers <list>) [options]

Options:
  --scenario <name>      demo (a few hundred events, 3 operations), standard (~100k transfers, 30 operations)
                         or realistic (as standard, but 1 victim in 5 reports, mules forward within minutes,
                         hours or days, denser legitimate look-alikes)
  --seed <n>             PRNG seed; the same seed and scenario give byte-identical output (default 42)
  --out-dir <dir>        write <topic>.jsonl per feed topic and ground-truth.jsonl
  --brokers <list>       send the feed to Kafka (comma-separated brokers) instead
  --truth-out <file>     with --brokers: where ground truth goes (default ground-truth.jsonl)
  --transfers <n>        background transfers over the run (scales the legitimate traffic)
  --start-at <ISO>       start of simulated time (default: the scenario's fixed start); the gateway
                         refuses transfers booked in the future, so live runs start days ago
  --namespace <hex>      4-16 lowercase hex digits written into every id and address, so that repeated
                         runs on shared servers never share an account or a transfer (default: none)
  --no-progress          no progress bar`;

/** A command-line mistake: print the message and the usage, exit 2. */
export class SimulatorUsageError extends Error {}

const ScamSimulatorConfigSchema = z
  .object({
    scenario: z.enum(SCENARIO_NAMES),
    seed: z.coerce.number().int().min(0).max(0xffffffff).default(42),
    outDir: z.string().min(1).optional(),
    brokers: z
      .string()
      .min(1)
      .transform((s) => s.split(',').map((b) => b.trim()))
      .pipe(z.array(z.string().regex(/^[^\s:]+:\d+$/, 'must be host:port')).min(1))
      .optional(),
    truthOut: z.string().min(1).default('ground-truth.jsonl'),
    transfers: z.coerce.number().int().min(1).max(100_000_000).optional(),
    startAt: z.iso.datetime({ offset: true }).optional(),
    namespace: z.string().regex(NAMESPACE_PATTERN, 'must be 4-16 lowercase hex digits').optional(),
    progress: z.boolean(),
  })
  .refine((c) => (c.outDir === undefined) !== (c.brokers === undefined), {
    message: 'give exactly one of --out-dir and --brokers',
  });
export type ScamSimulatorConfig = z.infer<typeof ScamSimulatorConfigSchema>;

export type SimulatorCliRequest =
  { readonly help: true } | { readonly help: false; readonly config: ScamSimulatorConfig };

/** Parses the command line once into a typed configuration (the simulator reads no environment). */
export const loadScamSimulatorConfig = (argv: readonly string[]): SimulatorCliRequest => {
  let values: ReturnType<typeof parseCommandLine>['values'];
  try {
    values = parseCommandLine(argv).values;
  } catch (error) {
    throw new SimulatorUsageError(`${error instanceof Error ? error.message : String(error)}`);
  }
  if (values.help === true) return { help: true };
  const result = ScamSimulatorConfigSchema.safeParse({
    scenario: values.scenario,
    seed: values.seed,
    outDir: values['out-dir'],
    brokers: values.brokers,
    truthOut: values['truth-out'],
    transfers: values.transfers,
    namespace: values.namespace,
    startAt: values['start-at'],
    progress: values['no-progress'] !== true,
  });
  if (!result.success) {
    throw new SimulatorUsageError(
      `Invalid options:\n${result.error.issues.map((i) => `  ${i.path.join('.') || 'options'}: ${i.message}`).join('\n')}`,
    );
  }
  return { help: false, config: result.data };
};

const parseCommandLine = (argv: readonly string[]) =>
  parseArgs({
    args: [...argv],
    strict: true,
    options: {
      help: { type: 'boolean', short: 'h' },
      scenario: { type: 'string' },
      seed: { type: 'string' },
      'out-dir': { type: 'string' },
      brokers: { type: 'string' },
      'truth-out': { type: 'string' },
      transfers: { type: 'string' },
      namespace: { type: 'string' },
      'start-at': { type: 'string' },
      'no-progress': { type: 'boolean' },
    },
  });
