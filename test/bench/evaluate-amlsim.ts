/**
 * Detection quality on IBM AMLSim (../shared/data/amlsim-20k-fanin200, or any AMLSim output with nodes.csv and
 * transactions.csv) through the real pipeline: the feed importer sends the transactions to Kafka and the
 * services consume them (see eval-pipeline.ts); the alerts raised on this run's accounts are scored at account
 * level against the dataset's `isFraud` labels. Prints a table and writes bench-results/eval-amlsim.json
 * (eval-amlsim-rescaled.json with --rescale-amounts).
 *
 *   npm run eval:amlsim -- [--data <amlsim output dir>] [--profile daily-batch] [--rescale-amounts]
 *                          [--timeout-minutes 20] [--missed-sample 20]
 *
 * - `--profile`: the detection profile every detector runs with (AMLSim's steps are days: `daily-batch`).
 * - `--rescale-amounts`: AMLSim draws laundering amounts far below normal ones; this maps each transfer between
 *   two labelled accounts, rank for rank, onto the normal transfers' amount distribution before importing, so a
 *   rule keyed on small amounts would lose its edge (run both ways and report both figures).
 * - Scoring: an account counts as detected when an alert names it as subject or as an involved account in a
 *   suspicious role (mule, collector, off-ramp, hop-wallet); the subject-only figure is printed beside it.
 * - `missedPositives`: the labelled accounts no alert detected, by their shape among the transfers between two
 *   labelled accounts (no such transfer, split or single sender, collector, hop), with a sample of keys per
 *   shape (`--missed-sample N`, default 20).
 *
 * Isolation on a shared stack: this run's bank id (`AMLSIM-<run>`) is in every account key, the service
 * consumer groups are new and start at the topic ends, and Redis keys carry a fresh prefix, deleted at the end.
 */
import { randomUUID } from 'node:crypto';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { accountKeyOf } from '@scamflow/contracts';
import { detectionProfileNamed } from '@scamflow/detection-profiles';
import {
  alertedAccountsOf,
  latestAlertVersions,
  missedPositivesByShape,
  rescaleLaunderingAmounts,
  scoreDetections,
  type Scores,
} from '@scamflow/evaluation';
import { ROOT, writeResult } from './bench-support';
import { commitOf, runEvaluationCommand, runEvaluationPipeline } from './eval-pipeline';

const { values: args } = parseArgs({
  options: {
    data: { type: 'string', default: join(ROOT, '..', 'shared', 'data', 'amlsim-20k-fanin200') },
    'timeout-minutes': { type: 'string', default: '20' },
    profile: { type: 'string', default: 'daily-batch' },
    'rescale-amounts': { type: 'boolean', default: false },
    'missed-sample': { type: 'string', default: '20' },
  },
});
const PROFILE = detectionProfileNamed(args.profile).name;
const RESCALE = args['rescale-amounts'];
const SOURCE_DIR = resolve(args.data);

const LabelSchema = z.object({ bankId: z.string(), accountId: z.string(), isFraud: z.boolean() });

/** Columns of a CSV header line, by name. */
const columnsOf = (header: string, names: readonly string[], file: string): number[] => {
  const cells = header.split(',').map((c) => c.trim());
  return names.map((name) => {
    const at = cells.indexOf(name);
    if (at < 0) throw new Error(`${file} has no "${name}" column`);
    return at;
  });
};

/**
 * A copy of the AMLSim output whose transfers between two labelled accounts carry amounts drawn, rank for rank,
 * from the normal transfers' distribution (see rescaleLaunderingAmounts). Returns the copy's directory.
 */
const rescaledCopyOf = (dir: string): { dir: string; rescaled: number } => {
  const nodes = readFileSync(join(dir, 'nodes.csv'), 'utf8').split('\n');
  const [nodeId = 0, isFraud = 1] = columnsOf(nodes[0] ?? '', ['nodeid', 'isFraud'], 'nodes.csv');
  const labelled = new Set<string>();
  for (const line of nodes.slice(1)) {
    const cells = line.split(',');
    if (cells[isFraud]?.trim() === '1') labelled.add(cells[nodeId]?.trim() ?? '');
  }
  const lines = readFileSync(join(dir, 'transactions.csv'), 'utf8').split('\n');
  const header = lines[0] ?? '';
  const [source = 0, target = 1, value = 2] = columnsOf(
    header,
    ['sourceNodeId', 'targetNodeId', 'value'],
    'transactions.csv',
  );
  const rows = lines
    .slice(1)
    .filter((line) => line.trim().length > 0)
    .map((line) => line.split(','));
  const laundering = rows.map(
    (c) => labelled.has(c[source]?.trim() ?? '') && labelled.has(c[target]?.trim() ?? ''),
  );
  const amounts = rescaleLaunderingAmounts(
    rows.map((c, i) => ({ value: c[value]?.trim() ?? '', laundering: laundering[i] ?? false })),
  );
  const out = mkdtempSync(join(tmpdir(), 'eval-amlsim-rescaled-'));
  copyFileSync(join(dir, 'nodes.csv'), join(out, 'nodes.csv'));
  const body = rows.map((c, i) => c.map((cell, j) => (j === value ? amounts[i] : cell)).join(','));
  writeFileSync(join(out, 'transactions.csv'), `${[header, ...body].join('\n')}\n`);
  return { dir: out, rescaled: laundering.filter(Boolean).length };
};

/** Who paid whom on which step, keyed as the importer keys accounts (for the missed-account breakdown). */
const transfersOf = function* (dir: string, bank: string) {
  const lines = readFileSync(join(dir, 'transactions.csv'), 'utf8').split('\n');
  const [source = 0, target = 1, time = 3] = columnsOf(
    lines[0] ?? '',
    ['sourceNodeId', 'targetNodeId', 'time'],
    'transactions.csv',
  );
  for (const line of lines.slice(1)) {
    if (line.trim().length === 0) continue;
    const c = line.split(',');
    yield {
      from: accountKeyOf(bank, c[source]?.trim() ?? ''),
      to: accountKeyOf(bank, c[target]?.trim() ?? ''),
      period: Number(c[time]),
    };
  }
};

const row = (name: string, s: Scores & { alerted?: number }): string =>
  [
    name.padEnd(34),
    String(s.alerted ?? s.tp + s.fp).padStart(7),
    String(s.tp).padStart(5),
    String(s.fp).padStart(5),
    String(s.fn).padStart(5),
    s.precision.toFixed(3).padStart(9),
    s.recall.toFixed(3).padStart(7),
    s.f1.toFixed(3).padStart(6),
  ].join(' ');

const main = async (): Promise<void> => {
  const startedAt = performance.now();
  const run = randomUUID().slice(0, 8);
  const bank = `AMLSIM-${run}`;
  const dataset = basename(SOURCE_DIR);
  const labelsOut = join(tmpdir(), `eval-amlsim-${run}-labels.jsonl`);
  const copy = RESCALE ? rescaledCopyOf(SOURCE_DIR) : undefined;
  const dataDir = copy?.dir ?? SOURCE_DIR;
  if (copy) console.log(`eval-amlsim ${run}: ${copy.rescaled} transfers between labelled accounts rescaled`);
  console.log(`eval-amlsim ${run}: importing ${dataDir} as bank ${bank}, profile ${PROFILE}`);

  const outcome = await runEvaluationPipeline({
    run,
    profile: PROFILE,
    importerArgs: [
      'amlsim',
      dataDir,
      '--bank',
      bank,
      '--source-id',
      `${dataset}-${run}`,
      '--labels-out',
      labelsOut,
    ],
    ofThisRun: (alert) => alert.subject.accountKey.startsWith(`${bank}:`),
    timeoutMs: Number(args['timeout-minutes']) * 60_000,
  }).finally(() => {
    if (copy) rmSync(copy.dir, { recursive: true, force: true });
  });

  const labels = readFileSync(labelsOut, 'utf8')
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => LabelSchema.parse(JSON.parse(line)));
  rmSync(labelsOut, { force: true });
  const latest = latestAlertVersions(outcome.alerts);
  const population = {
    accounts: new Set(labels.map((l) => accountKeyOf(l.bankId, l.accountId))),
    positives: new Set(labels.filter((l) => l.isFraud).map((l) => accountKeyOf(l.bankId, l.accountId))),
  };
  const scores = scoreDetections({ ...population, alerts: latest.flatMap((a) => alertedAccountsOf(a)) });
  const subjectsOnly = scoreDetections({
    ...population,
    alerts: latest.flatMap((a) => alertedAccountsOf(a, false)),
  });

  const detected = new Set(latest.flatMap((a) => alertedAccountsOf(a)).map((a) => a.accountKey));
  const missed = missedPositivesByShape({
    positives: population.positives,
    detected,
    transfers: transfersOf(SOURCE_DIR, bank),
    sampleSize: Number(args['missed-sample']),
  });

  const result = {
    dataset,
    profile: PROFILE,
    amountsRescaled: RESCALE,
    scoring: 'subjects and involved accounts in suspicious roles (mule, collector, off-ramp, hop-wallet)',
    commit: commitOf(),
    date: new Date().toISOString(),
    settled: outcome.settled,
    ...scores,
    subjectsOnly: { alerted: subjectsOnly.alerted, overall: subjectsOnly.overall },
    alerts: latest.length,
    missedPositives: missed,
    redisKeysDeleted: outcome.redisKeysDeleted,
    durationMs: Math.round(performance.now() - startedAt),
  };
  console.log(
    `\n${dataset}: ${scores.accounts} accounts, ${scores.labelledPositive} labelled positive, ` +
      `${scores.alerted} alerted (${latest.length} alerts${outcome.unreadable > 0 ? `, ${outcome.unreadable} unreadable on the topic` : ''})`,
  );
  console.log(
    `${'typology'.padEnd(34)} alerted    tp    fp    fn precision recall    f1\n${row('all (account level)', {
      ...scores.overall,
      alerted: scores.alerted,
    })}`,
  );
  for (const [typology, s] of Object.entries(scores.perTypology)) console.log(row(typology, s));
  console.log(row('all, subjects only', { ...subjectsOnly.overall, alerted: subjectsOnly.alerted }));
  console.log(
    `missed ${missed.missed} positives (missed of labelled, by shape among transfers between labelled accounts): ${Object.entries(
      missed.byShape,
    )
      .map(
        ([shape, n]) => `${shape} ${n} of ${missed.positivesByShape[shape as keyof typeof missed.byShape]}`,
      )
      .join('; ')}`,
  );
  console.log(
    `profile ${PROFILE}, amounts ${RESCALE ? 'rescaled' : 'as simulated'}; ${outcome.redisKeysDeleted} Redis keys deleted`,
  );
  if (!outcome.settled) console.log(`not settled within ${args['timeout-minutes']} min: figures are partial`);
  console.log(`written ${writeResult(RESCALE ? 'eval-amlsim-rescaled' : 'eval-amlsim', result)}`);
};

runEvaluationCommand('eval-amlsim', main);
