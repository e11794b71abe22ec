/**
 * Transaction-level detection quality on IBM AMLworld (HI-Small format) through the real pipeline (see
 * eval-pipeline.ts). A transaction counts as flagged when the latest version of an alert of this run lists it as
 * evidence (inbound, outbound or path edge); the metric is the minority-class (laundering) F1, as in the
 * literature. Writes bench-results/eval-amlworld.json.
 *
 *   npm run eval:amlworld -- [<transactions.csv>] [--profile instant-payments] [--timeout-minutes 60]
 *
 * The file is streamed (the importer and the pattern derivation below read it row by row), so the full
 * HI-Small_Trans.csv (5,078,345 rows) works the same; expect about an hour per million rows on a laptop stack.
 *
 * Pattern types: AMLworld's pattern file is not part of the sample, so each laundering transaction's pattern is
 * derived from the shape of the labelled laundering subgraph around it (cycle, fan-in, fan-out, chain, other):
 * a description of the labels, not AMLworld's own pattern names.
 */
import { randomUUID } from 'node:crypto';
import { createReadStream, rmSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { parse } from 'csv-parse';
import { z } from 'zod';
import { bankTransferIdOf } from '@scamflow/contracts';
import { detectionProfileNamed } from '@scamflow/detection-profiles';
import { derivePatternTypes, latestAlertVersions, type LaunderingEdge } from '@scamflow/evaluation';
import { ROOT, writeResult } from './bench-support';
import {
  evidenceOf,
  flaggedTransfersOf,
  runEvaluationCommand,
  runEvaluationPipeline,
  transactionLevelResult,
} from './eval-pipeline';

const { values: args, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    'timeout-minutes': { type: 'string', default: '60' },
    profile: { type: 'string', default: 'instant-payments' },
  },
});
const CSV = resolve(
  positionals[0] ??
    join(ROOT, '..', 'shared', 'data', 'amlworld-hi-small-sample', 'HI-Small_Trans_sample.csv'),
);
const PROFILE = detectionProfileNamed(args.profile).name;

const LabelSchema = z.object({ reportedBy: z.string(), transferId: z.string(), isLaundering: z.boolean() });

/** Laundering rows (1-based data row number, header excluded, as the importer numbers them), streamed. */
const launderingEdgesOf = async (file: string): Promise<Map<number, LaunderingEdge>> => {
  const edges = new Map<number, LaunderingEdge>();
  const parser = createReadStream(file).pipe(parse({ relax_column_count: true }));
  let header: string[] | undefined;
  let row = 0;
  const bank = (s: string) => (/^\d+$/.test(s) ? s.replace(/^0+(?=\d)/, '') : s);
  for await (const record of parser as AsyncIterable<string[]>) {
    if (!header) {
      header = record;
      continue;
    }
    row += 1;
    if (record[10]?.trim() !== '1') continue;
    edges.set(row, {
      from: `${bank(record[1] ?? '')}:${record[2] ?? ''}`,
      to: `${bank(record[3] ?? '')}:${record[4] ?? ''}`,
      atMs: Date.parse(`${(record[0] ?? '').replace(/\//g, '-').replace(' ', 'T')}:00Z`),
    });
  }
  if (header && header[10]?.trim() !== 'Is Laundering') {
    throw new Error(`${file}: column 11 is "${header[10]}", not "Is Laundering"`);
  }
  return edges;
};

const main = async (): Promise<void> => {
  const startedAt = performance.now();
  const run = randomUUID().slice(0, 8);
  const dataset = basename(CSV);
  const sourceId = `${dataset.replace(/\.csv$/i, '')}-${run}`;
  const labelsOut = join(tmpdir(), `eval-amlworld-${run}-labels.jsonl`);
  // Canonical transfer ids percent-encode the producer's id (`bank:1:amlworld%3A<source>%3A12`): match the
  // run's source id, which has no character to encode.
  const tag = sourceId;
  console.log(`eval-amlworld ${run}: importing ${CSV}, profile ${PROFILE}`);

  const outcome = await runEvaluationPipeline({
    run,
    profile: PROFILE,
    importerArgs: ['amlworld', CSV, '--source-id', sourceId, '--labels-out', labelsOut],
    ofThisRun: (alert) => evidenceOf(alert).some((id) => id.includes(tag)),
    timeoutMs: Number(args['timeout-minutes']) * 60_000,
  });

  // Labels are one line per imported row (5 million for HI-Small): streamed, positives kept, the rest counted.
  const positives = new Set<string>();
  const rowOf = new Map<string, number>();
  let importedCount = 0;
  for await (const line of createInterface({ input: createReadStream(labelsOut), crlfDelay: Infinity })) {
    if (line.length === 0) continue;
    const label = LabelSchema.parse(JSON.parse(line));
    const id = bankTransferIdOf(label.reportedBy, label.transferId);
    importedCount += 1;
    if (label.isLaundering) {
      positives.add(id);
      rowOf.set(id, Number(label.transferId.slice(label.transferId.lastIndexOf(':') + 1)));
    }
  }
  rmSync(labelsOut, { force: true });

  const latest = latestAlertVersions(outcome.alerts);
  const { flagged, perTypology } = flaggedTransfersOf(latest, tag);

  const edges = await launderingEdgesOf(CSV);
  const patternOfRow = derivePatternTypes(edges);
  const perPattern: Record<string, { labelled: number; flagged: number }> = {};
  for (const id of positives) {
    const pattern = patternOfRow.get(rowOf.get(id) ?? -1) ?? 'other';
    const entry = (perPattern[pattern] ??= { labelled: 0, flagged: 0 });
    entry.labelled += 1;
    if (flagged.has(id)) entry.flagged += 1;
  }

  const result = {
    ...transactionLevelResult({
      dataset,
      profile: PROFILE,
      settled: outcome.settled,
      transactions: importedCount,
      positives,
      flagged,
      perTypology,
      alerts: latest.length,
    }),
    perDerivedPattern: perPattern,
    derivedPatternNote:
      'derived from the labelled laundering subgraph around each transaction (no pattern file in the input)',
    alerts: latest.length,
    redisKeysDeleted: outcome.redisKeysDeleted,
    durationMs: Math.round(performance.now() - startedAt),
  };
  for (const [pattern, c] of Object.entries(perPattern)) {
    console.log(
      `  derived ${pattern.padEnd(10)} ${c.flagged} of ${c.labelled} laundering transactions flagged`,
    );
  }
  if (!outcome.settled) console.log(`not settled within ${args['timeout-minutes']} min: figures are partial`);
  console.log(`written ${writeResult('eval-amlworld', result)}`);
};

runEvaluationCommand('eval-amlworld', main);
