import { basename } from 'node:path';
import type { ImportSummary } from './import-feed.service';

const REASONS: Readonly<Record<string, string>> = {
  'virtual-asset': 'virtual asset (Bitcoin), not ISO 4217; left for the virtual-asset feed',
  'unknown-currency': 'currency name not in the ISO 4217 map',
  'column-count': 'wrong number of columns',
  timestamp: 'unreadable timestamp',
  time: 'unreadable step',
  amount: 'amount is not a decimal',
  'amount-precision': 'more decimals than the currency allows (--rounding reject)',
  'amount-zero': 'amount is zero in minor units',
  label: 'label is neither 0 nor 1',
  'label-row': 'unreadable row in the label file',
  schema: 'event failed BankTransferReceivedSchema',
};

const n = (value: number): string => value.toLocaleString('en-US');
const total = (counts: Readonly<Record<string, number>>): number =>
  Object.values(counts).reduce((sum, count) => sum + count, 0);
const lines = (counts: Readonly<Record<string, number>>, describe: (key: string) => string): string[] =>
  Object.entries(counts)
    .sort(([, a], [, b]) => b - a)
    .map(([key, count]) => `      ${n(count).padStart(10)}  ${key}: ${describe(key)}`);

/** The report printed at the end of an import: every row is accounted for. */
export const formatImportSummary = (s: ImportSummary): string => {
  const seconds = s.elapsedMs / 1000;
  const rate = seconds > 0 ? Math.round(s.rowsRead / seconds) : 0;
  return [
    `${s.format} ${basename(s.file)}${s.dryRun ? ' (dry run: validated, nothing sent)' : ''}`,
    `  rows read   ${n(s.rowsRead).padStart(10)}`,
    `  ${s.dryRun ? 'valid      ' : 'published  '} ${n(s.published).padStart(10)}`,
    `  skipped     ${n(total(s.skipped)).padStart(10)}`,
    ...lines(s.skipped, (key) => REASONS[key] ?? key),
    `  rejected    ${n(total(s.rejected)).padStart(10)}`,
    ...lines(s.rejected, (key) => REASONS[key] ?? key),
    `  rounded     ${n(total(s.rounded)).padStart(10)}  (half-even to the currency exponent, included above)`,
    ...lines(s.rounded, () => 'amounts rounded'),
    ...(s.labelsWritten > 0 ? [`  labels      ${n(s.labelsWritten).padStart(10)}`] : []),
    ...(s.firstTransferId ? [`  transfer ids ${s.firstTransferId} … ${s.lastTransferId ?? ''}`] : []),
    `  elapsed ${seconds.toFixed(1)} s, ${n(rate)} rows/s, peak RSS ${s.peakRssMiB} MiB`,
  ].join('\n');
};
