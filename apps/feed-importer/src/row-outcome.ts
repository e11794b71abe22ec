import type { BankTransferReceived } from '@scamflow/contracts';

/** Why a row produced no event. Codes are counted in the summary; the detail goes to the rejects file. */
export interface RowProblem {
  readonly code: string;
  readonly detail: string;
}

/** A label from the dataset's ground truth, written beside the feed and never into it. */
export type LabelRecord = Readonly<Record<string, string | number | boolean | null>>;

export type RowOutcome =
  | {
      readonly kind: 'event';
      /** Built by the mapper; the import validates it with BankTransferReceivedSchema before sending. */
      readonly event: BankTransferReceived;
      /** ISO 4217 code when a non-zero digit beyond the currency exponent was rounded away. */
      readonly roundedCurrency?: string;
      readonly label?: LabelRecord;
    }
  /** Deliberately not imported (e.g. a virtual asset, waiting for its own feed). */
  | ({ readonly kind: 'skipped' } & RowProblem)
  /** Cannot be mapped: bad data. */
  | ({ readonly kind: 'rejected' } & RowProblem);

export const rejected = (code: string, detail: string): RowOutcome => ({ kind: 'rejected', code, detail });

/** Column positions resolved from a file's header. */
export type ColumnIndex<K extends string> = Readonly<Record<K, number>>;

/**
 * Turns a file or folder name (without extension) into the part of a transfer id that names the source file: the id grammar allows
 * letters, digits and . _ - only after a leading letter or digit.
 */
export const sourceTagOf = (name: string): string => {
  const tag = name
    .replace(/[^A-Za-z0-9._-]/g, '_')
    .replace(/^[^A-Za-z0-9]+/, '')
    .slice(0, 64);
  return tag === '' ? 'feed' : tag;
};
