import { basename } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { BankTransferReceivedSchema, parseWith, type ParseResult } from '@scamflow/contracts';
import { openCsvRecords } from './csv-records';
import type { FeedMessage, FeedSink } from './feed.sink';
import { JsonlWriter } from './jsonl.writer';
import type { LabelRecord, RowOutcome } from './row-outcome';

export type RowMapper = (fields: readonly string[], rowNumber: number) => RowOutcome;

/** A transactions file and how to read it; `prepare` checks the header and returns the row mapper. */
export interface FeedSource {
  readonly format: string;
  readonly file: string;
  prepare(header: readonly string[]): ParseResult<RowMapper>;
}

/** Labels kept in their own file (e.g. AMLSim's per-account nodes.csv), written when labels are asked for. */
export interface LabelSource {
  readonly file: string;
  prepare(header: readonly string[]): ParseResult<(fields: readonly string[]) => ParseResult<LabelRecord>>;
}

export interface ImportJob {
  readonly source: FeedSource;
  readonly labelSource?: LabelSource;
  readonly limit?: number;
  readonly batchSize: number;
  readonly ratePerSecond?: number;
  readonly labelsOut?: string;
  readonly rejectsOut?: string;
}

export interface ImportProgress {
  readonly rowsRead: number;
  readonly published: number;
  readonly bytesRead: number;
  readonly totalBytes: number;
}

export interface ImportSummary {
  readonly format: string;
  readonly file: string;
  readonly dryRun: boolean;
  readonly rowsRead: number;
  /** Events sent and acknowledged (in a dry run: events that passed validation). */
  readonly published: number;
  readonly skipped: Readonly<Record<string, number>>;
  readonly rejected: Readonly<Record<string, number>>;
  /** Published events whose amount was rounded to the currency exponent, per ISO 4217 code. */
  readonly rounded: Readonly<Record<string, number>>;
  readonly labelsWritten: number;
  readonly firstTransferId: string | undefined;
  readonly lastTransferId: string | undefined;
  readonly elapsedMs: number;
  readonly peakRssMiB: number;
}

export class ImportError extends Error {
  override readonly name = 'ImportError';
}

const PROGRESS_EVERY_ROWS = 5_000;

const increment = (counts: Record<string, number>, key: string): void => {
  counts[key] = (counts[key] ?? 0) + 1;
};

/** `process.resourceUsage().maxRSS` is the process's peak resident set, in KiB. */
const peakRssMiB = (): number => Math.round(process.resourceUsage().maxRSS / 1024);

/**
 * Streams a research dataset into the bank transfer feed: read a row, map it, validate it with
 * BankTransferReceivedSchema, send in batches awaiting each acknowledgement. Memory stays bounded by the
 * batch size and the CSV parser's buffer, whatever the file size.
 */
export class ImportFeedService {
  constructor(private readonly sink: FeedSink) {}

  async execute(job: ImportJob, onProgress?: (progress: ImportProgress) => void): Promise<ImportSummary> {
    const startedAt = performance.now();
    const fileName = basename(job.source.file);
    const skipped: Record<string, number> = {};
    const rejected: Record<string, number> = {};
    const rounded: Record<string, number> = {};
    const labels = job.labelsOut === undefined ? undefined : new JsonlWriter(job.labelsOut);
    const rejects = job.rejectsOut === undefined ? undefined : new JsonlWriter(job.rejectsOut);
    let rowsRead = 0;
    let published = 0;
    let firstTransferId: string | undefined;
    let lastTransferId: string | undefined;

    const reject = async (
      file: string,
      row: number,
      code: string,
      detail: string,
      fields: readonly string[],
    ) => {
      increment(rejected, code);
      await rejects?.write({ file, row, code, detail, fields });
    };

    try {
      if (labels && job.labelSource) {
        await this.writeLabelFile(job.labelSource, labels, (row, detail, fields) =>
          reject(basename(job.labelSource?.file ?? ''), row, 'label-row', detail, fields),
        );
      }

      const csv = await openCsvRecords(job.source.file);
      const progress = (): void =>
        onProgress?.({ rowsRead, published, bytesRead: csv.bytesRead(), totalBytes: csv.totalBytes });
      let mapRow: RowMapper | undefined;
      let batch: FeedMessage[] = [];
      const batchSize =
        job.ratePerSecond === undefined
          ? job.batchSize
          : Math.max(1, Math.min(job.batchSize, Math.floor(job.ratePerSecond)));
      const flush = async (): Promise<void> => {
        if (batch.length === 0) return;
        if (job.ratePerSecond !== undefined) {
          // Pace so that the messages sent so far never exceed rate × elapsed time.
          const dueAt = startedAt + ((published + batch.length) / job.ratePerSecond) * 1000;
          const wait = dueAt - performance.now();
          if (wait > 0) await sleep(wait);
        }
        await this.sink.send(batch);
        published += batch.length;
        batch = [];
        progress();
      };

      try {
        for await (const fields of csv.records) {
          if (mapRow === undefined) {
            const prepared = job.source.prepare(fields);
            if (!prepared.ok) throw new ImportError(`${fileName}: ${prepared.reason}`);
            mapRow = prepared.value;
            continue;
          }
          if (job.limit !== undefined && rowsRead >= job.limit) break;
          rowsRead += 1;
          const outcome = mapRow(fields, rowsRead);
          switch (outcome.kind) {
            case 'skipped':
              increment(skipped, outcome.code);
              break;
            case 'rejected':
              await reject(fileName, rowsRead, outcome.code, outcome.detail, fields);
              break;
            case 'event': {
              const valid = parseWith(BankTransferReceivedSchema, outcome.event);
              if (!valid.ok) {
                await reject(fileName, rowsRead, 'schema', valid.reason, fields);
                break;
              }
              if (outcome.roundedCurrency !== undefined) increment(rounded, outcome.roundedCurrency);
              if (outcome.label) await labels?.write(outcome.label);
              firstTransferId ??= valid.value.transferId;
              lastTransferId = valid.value.transferId;
              batch.push({ key: valid.value.debtor.accountId, value: JSON.stringify(valid.value) });
              if (batch.length >= batchSize) await flush();
              break;
            }
          }
          if (rowsRead % PROGRESS_EVERY_ROWS === 0) progress();
        }
        if (mapRow === undefined) throw new ImportError(`${fileName}: empty file (no header)`);
        await flush();
        progress();
      } finally {
        csv.close();
      }
    } finally {
      await labels?.close();
      await rejects?.close();
    }

    return {
      format: job.source.format,
      file: job.source.file,
      dryRun: this.sink.dryRun,
      rowsRead,
      published,
      skipped,
      rejected,
      rounded,
      labelsWritten: labels?.lines ?? 0,
      firstTransferId,
      lastTransferId,
      elapsedMs: performance.now() - startedAt,
      peakRssMiB: peakRssMiB(),
    };
  }

  private async writeLabelFile(
    source: LabelSource,
    out: JsonlWriter,
    onBadRow: (row: number, detail: string, fields: readonly string[]) => Promise<void>,
  ): Promise<void> {
    const csv = await openCsvRecords(source.file);
    try {
      let mapLabel: ((fields: readonly string[]) => ParseResult<LabelRecord>) | undefined;
      let row = 0;
      for await (const fields of csv.records) {
        if (mapLabel === undefined) {
          const prepared = source.prepare(fields);
          if (!prepared.ok) throw new ImportError(`${basename(source.file)}: ${prepared.reason}`);
          mapLabel = prepared.value;
          continue;
        }
        row += 1;
        const label = mapLabel(fields);
        if (label.ok) await out.write(label.value);
        else await onBadRow(row, label.reason, fields);
      }
    } finally {
      csv.close();
    }
  }
}
