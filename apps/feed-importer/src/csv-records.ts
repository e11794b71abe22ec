import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { parse, type Parser } from 'csv-parse';

/** A CSV file read as a stream of records (header first); the parser's buffer bounds memory. */
export interface CsvRecords {
  readonly totalBytes: number;
  readonly records: AsyncIterable<string[]>;
  bytesRead(): number;
  close(): void;
}

export const openCsvRecords = async (file: string): Promise<CsvRecords> => {
  const { size } = await stat(file);
  const input = createReadStream(file, { highWaterMark: 256 * 1024 });
  const parser: Parser = parse({
    bom: true,
    skip_empty_lines: true,
    // A short or long row is the mapper's to reject with a reason; it must not end the import.
    relax_column_count: true,
  });
  input.on('error', (error) => parser.destroy(error));
  input.pipe(parser);
  return {
    totalBytes: size,
    records: parser as AsyncIterable<string[]>,
    bytesRead: () => input.bytesRead,
    close: () => {
      input.destroy();
      parser.destroy();
    },
  };
};
