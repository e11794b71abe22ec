/**
 * Transaction-level detection quality on SAML-D (Oztas et al. 2023) through the real pipeline (see
 * eval-pipeline.ts). A transaction counts as flagged when the latest version of an alert of this run lists it as
 * evidence (inbound, outbound or path edge); the metric is the minority-class (laundering) F1. SAML-D names the
 * typology of every row, laundering (Layered_Fan_Out, Smurfing, Cycle, ...) and normal (Normal_Fan_In,
 * Normal_Group, ...), so the result says which laundering typologies are found and which normal ones are flagged.
 * Writes bench-results/eval-saml-d.json.
 *
 *   npm run eval:saml-d -- [<SAML-D.csv>] [--profile daily-batch] [--timeout-minutes 60]
 *
 * The default input is the 1,000-row sample in ../shared/data (5 laundering rows spread over ten months: it shows
 * the command works, not how well anything detects). The full SAML-D file (9.5 million rows) has the same format;
 * the importer and the label file are streamed. Its rows are timestamped to the second, but laundering in it
 * unfolds over days to months, hence the default profile.
 */
import { randomUUID } from 'node:crypto';
import { createReadStream, rmSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { bankTransferIdOf } from '@scamflow/contracts';
import { detectionProfileNamed } from '@scamflow/detection-profiles';
import { latestAlertVersions } from '@scamflow/evaluation';
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
    profile: { type: 'string', default: 'daily-batch' },
  },
});
const CSV = resolve(
  positionals[0] ?? join(ROOT, '..', 'shared', 'data', 'saml-d-sample-1k', 'SAML-D_sample_1k.csv'),
);
const PROFILE = detectionProfileNamed(args.profile).name;

const LabelSchema = z.object({
  reportedBy: z.string(),
  transferId: z.string(),
  isLaundering: z.boolean(),
  launderingType: z.string(),
});

const main = async (): Promise<void> => {
  const startedAt = performance.now();
  const run = randomUUID().slice(0, 8);
  const dataset = basename(CSV);
  const sourceId = `${dataset.replace(/\.csv$/i, '')}-${run}`;
  const labelsOut = join(tmpdir(), `eval-saml-d-${run}-labels.jsonl`);
  // Canonical transfer ids percent-encode the producer's id: the run's source id has no character to encode.
  const tag = sourceId;
  console.log(`eval-saml-d ${run}: importing ${CSV}, profile ${PROFILE}`);

  const outcome = await runEvaluationPipeline({
    run,
    profile: PROFILE,
    importerArgs: ['saml-d', CSV, '--source-id', sourceId, '--labels-out', labelsOut],
    ofThisRun: (alert) => evidenceOf(alert).some((id) => id.includes(tag)),
    timeoutMs: Number(args['timeout-minutes']) * 60_000,
  });

  const latest = latestAlertVersions(outcome.alerts);
  const { flagged, perTypology } = flaggedTransfersOf(latest, tag);

  // Labels are one line per imported row (9.5 million for the full file): streamed, counted per SAML-D typology.
  const positives = new Set<string>();
  const perLaunderingType: Record<string, { labelled: number; flagged: number }> = {};
  const perNormalType: Record<string, { transactions: number; flagged: number }> = {};
  let importedCount = 0;
  for await (const line of createInterface({ input: createReadStream(labelsOut), crlfDelay: Infinity })) {
    if (line.length === 0) continue;
    const label = LabelSchema.parse(JSON.parse(line));
    const id = bankTransferIdOf(label.reportedBy, label.transferId);
    importedCount += 1;
    const hit = flagged.has(id) ? 1 : 0;
    if (label.isLaundering) {
      positives.add(id);
      const entry = (perLaunderingType[label.launderingType] ??= { labelled: 0, flagged: 0 });
      entry.labelled += 1;
      entry.flagged += hit;
    } else {
      const entry = (perNormalType[label.launderingType] ??= { transactions: 0, flagged: 0 });
      entry.transactions += 1;
      entry.flagged += hit;
    }
  }
  rmSync(labelsOut, { force: true });

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
    perLaunderingType,
    perNormalType,
    alerts: latest.length,
    redisKeysDeleted: outcome.redisKeysDeleted,
    durationMs: Math.round(performance.now() - startedAt),
  };
  for (const [type, c] of Object.entries(perLaunderingType).sort()) {
    console.log(`  laundering ${type.padEnd(22)} ${c.flagged} of ${c.labelled} flagged`);
  }
  for (const [type, c] of Object.entries(perNormalType).sort()) {
    if (c.flagged > 0) console.log(`  normal ${type.padEnd(26)} ${c.flagged} of ${c.transactions} flagged`);
  }
  if (!outcome.settled) console.log(`not settled within ${args['timeout-minutes']} min: figures are partial`);
  console.log(`written ${writeResult('eval-saml-d', result)}`);
};

runEvaluationCommand('eval-saml-d', main);
