import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { finished } from 'node:stream/promises';

/** Appends JSON lines to a file, waiting for the disk when its buffer is full (bounded memory). */
export class JsonlWriter {
  private readonly stream: WriteStream;
  private failure: Error | undefined;
  lines = 0;

  constructor(readonly file: string) {
    this.stream = createWriteStream(file, { flags: 'w' });
    this.stream.on('error', (error) => {
      this.failure = error;
    });
  }

  async write(record: unknown): Promise<void> {
    if (this.failure) throw this.failure;
    this.lines += 1;
    if (!this.stream.write(`${JSON.stringify(record)}\n`)) await once(this.stream, 'drain');
  }

  async close(): Promise<void> {
    this.stream.end();
    await finished(this.stream);
    if (this.failure) throw this.failure;
  }
}
