import { parseArgs } from 'node:util';
import { z } from 'zod';
import { ConfigError, kafkaEnvShape, parseEnv } from '@scamflow/config';
import { CountryCodeSchema, CurrencyCodeSchema, IdentifierSchema } from '@scamflow/contracts';
import { currencyScale } from '@scamflow/money';
import { ROUNDING_MODES } from './decimal-amount';

export const FEED_IMPORTER_USAGE = `Usage:
  feed-importer amlworld <transactions.csv> [options]   IBM AMLworld (e.g. HI-Small_Trans.csv)
  feed-importer amlsim <output-dir> [options]           IBM AMLSim (transactions.csv, nodes.csv)
  feed-importer saml-d <transactions.csv> [options]     SAML-D (e.g. SAML-D.csv)

Options (all):
  --brokers <list>       Kafka brokers, comma-separated (default: KAFKA_BROKERS or 127.0.0.1:19092)
  --dry-run              map and validate only; nothing is sent
  --limit <n>            read at most n data rows
  --rate <n>             send at most n messages per second
  --batch-size <n>       messages per Kafka send (default 1000)
  --country <CC>         ISO 3166 country for every party of AMLworld and AMLSim, which have none (default US)
  --rounding <mode>      half-even (default) or reject, for amounts with more decimals than the currency has
  --source-id <id>       names the file in transfer ids (default: the file or folder name)
  --labels-out <file>    write the dataset's ground-truth labels as JSON lines (never into the feed)
  --rejects-out <file>   write rows that cannot be mapped, with the reason, as JSON lines
  --no-progress          no progress bar
AMLSim only:
  --bank <id>            the simulation's one bank, also the reporter (default AMLSIM)
  --currency <ISO>       the simulation's one currency (default USD)
  --start-date <date>    instant of step 0, one step = one day (default 2024-01-01T00:00:00Z)`;

const positiveInt = z.coerce.number().int().positive();

const CommonOptionsSchema = z.object({
  input: z.string().min(1),
  brokers: kafkaEnvShape.KAFKA_BROKERS,
  dryRun: z.boolean(),
  limit: positiveInt.optional(),
  rate: z.coerce.number().positive().optional(),
  batchSize: positiveInt.max(10_000).default(1000),
  country: CountryCodeSchema.default('US'),
  rounding: z.enum(ROUNDING_MODES).default('half-even'),
  sourceId: IdentifierSchema.max(64).optional(),
  labelsOut: z.string().min(1).optional(),
  rejectsOut: z.string().min(1).optional(),
  progress: z.boolean(),
});

export const FeedImporterConfigSchema = z.discriminatedUnion('format', [
  CommonOptionsSchema.extend({ format: z.literal('amlworld') }),
  CommonOptionsSchema.extend({ format: z.literal('saml-d') }),
  CommonOptionsSchema.extend({
    format: z.literal('amlsim'),
    bank: IdentifierSchema.default('AMLSIM'),
    currency: CurrencyCodeSchema.refine(
      (code) => currencyScale(code) !== undefined,
      'not an ISO 4217 currency',
    ).default('USD'),
    startDate: z
      .union([z.iso.date(), z.iso.datetime({ offset: true })])
      .default('2024-01-01T00:00:00Z')
      .transform((text) => new Date(text)),
  }),
]);
export type FeedImporterConfig = z.infer<typeof FeedImporterConfigSchema>;

export type CliRequest =
  { readonly help: true } | { readonly help: false; readonly config: FeedImporterConfig };

/** Parses the command line (node:util parseArgs) and the environment once, into a typed configuration. */
export const loadFeedImporterConfig = (
  argv: readonly string[],
  env: Record<string, string | undefined> = process.env,
): CliRequest => {
  let parsed: ReturnType<typeof parseCommandLine>;
  try {
    parsed = parseCommandLine(argv);
  } catch (error) {
    throw new ConfigError(
      `${error instanceof Error ? error.message : String(error)}\n\n${FEED_IMPORTER_USAGE}`,
    );
  }
  const { values, positionals } = parsed;
  if (values.help === true) return { help: true };
  const [format, input, ...extra] = positionals;
  if (format === undefined || input === undefined || extra.length > 0) {
    throw new ConfigError(`expected a format and one input path\n\n${FEED_IMPORTER_USAGE}`);
  }
  const { KAFKA_BROKERS } = parseEnv(z.object(kafkaEnvShape), env);
  const raw = {
    format,
    input,
    brokers: values.brokers ?? KAFKA_BROKERS.join(','),
    dryRun: values['dry-run'] === true,
    limit: values.limit,
    rate: values.rate,
    batchSize: values['batch-size'],
    country: values.country,
    rounding: values.rounding,
    sourceId: values['source-id'],
    labelsOut: values['labels-out'],
    rejectsOut: values['rejects-out'],
    progress: values['no-progress'] !== true,
    bank: values.bank,
    currency: values.currency,
    startDate: values['start-date'],
  };
  const result = FeedImporterConfigSchema.safeParse(raw);
  if (!result.success) {
    const problems = result.error.issues
      .map((i) => `  ${i.path.join('.') || 'format'}: ${i.message}`)
      .join('\n');
    throw new ConfigError(`Invalid options:\n${problems}\n\n${FEED_IMPORTER_USAGE}`);
  }
  if (result.data.format !== 'amlsim' && (raw.bank ?? raw.currency ?? raw.startDate) !== undefined) {
    throw new ConfigError(
      `--bank, --currency and --start-date apply to amlsim only (${result.data.format} rows carry them)`,
    );
  }
  if (result.data.format === 'saml-d' && raw.country !== undefined) {
    throw new ConfigError('--country does not apply to saml-d (its rows carry each bank location)');
  }
  return { help: false, config: result.data };
};

const parseCommandLine = (argv: readonly string[]) =>
  parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      help: { type: 'boolean', short: 'h' },
      brokers: { type: 'string' },
      'dry-run': { type: 'boolean' },
      limit: { type: 'string' },
      rate: { type: 'string' },
      'batch-size': { type: 'string' },
      country: { type: 'string' },
      rounding: { type: 'string' },
      'source-id': { type: 'string' },
      'labels-out': { type: 'string' },
      'rejects-out': { type: 'string' },
      'no-progress': { type: 'boolean' },
      bank: { type: 'string' },
      currency: { type: 'string' },
      'start-date': { type: 'string' },
    },
  });
