import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { once } from 'node:events';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import 'reflect-metadata';
import { TOPICS } from '@scamflow/contracts';
import { KafkaPublisher, type OutgoingMessage } from '@scamflow/messaging';
import { GROUND_TRUTH_STREAM, type OutputStream, type SimulatedLine } from './simulate-flows.service';

/** Where simulated lines go; `write` waits when the destination is busy (backpressure, bounded memory). */
export interface SimulationSink {
  write(line: SimulatedLine): Promise<void>;
  close(): Promise<void>;
}

/** Appends lines to one file, waiting for the disk when the stream buffer is full. */
class LineFile {
  private readonly stream: WriteStream;
  private failure: Error | undefined;

  constructor(readonly path: string) {
    this.stream = createWriteStream(path, { flags: 'w' });
    this.stream.on('error', (error) => {
      this.failure = error;
    });
  }

  async write(line: string): Promise<void> {
    if (this.failure) throw this.failure;
    if (!this.stream.write(`${line}\n`)) await once(this.stream, 'drain');
  }

  async close(): Promise<void> {
    this.stream.end();
    await finished(this.stream);
    if (this.failure) throw this.failure;
  }
}

/** One `<topic>.jsonl` per feed topic plus `ground-truth.jsonl`, in one directory. */
export class JsonlDirectorySink implements SimulationSink {
  private readonly files = new Map<OutputStream, LineFile>();

  private constructor(private readonly dir: string) {}

  static async open(dir: string): Promise<JsonlDirectorySink> {
    await mkdir(dir, { recursive: true });
    return new JsonlDirectorySink(dir);
  }

  write(line: SimulatedLine): Promise<void> {
    let file = this.files.get(line.stream);
    if (file === undefined) {
      file = new LineFile(join(this.dir, `${line.stream}.jsonl`));
      this.files.set(line.stream, file);
    }
    return file.write(line.line);
  }

  async close(): Promise<void> {
    await Promise.all([...this.files.values()].map((f) => f.close()));
  }
}

/**
 * Feed events to Kafka (batched per topic, each batch acknowledged before the next); ground truth to a file.
 * Reference rates go out at once, and the first transfer waits `referenceLeadMs` after them: the gateway reads
 * rates and transfers on separate topics, and a transfer converted before its rate is stored carries no-rate.
 */
export class KafkaSimulationSink implements SimulationSink {
  private readonly publisher: KafkaPublisher;
  private readonly batches = new Map<string, OutgoingMessage[]>();
  private referenceSentAt: number | undefined;
  private readonly referenceLeadMs = 2_000;

  constructor(
    brokers: readonly string[],
    private readonly truth: LineFile,
    private readonly batchSize = 1000,
  ) {
    this.publisher = new KafkaPublisher({ brokers, clientId: 'scam-simulator' });
  }

  static create(brokers: readonly string[], truthFile: string): KafkaSimulationSink {
    return new KafkaSimulationSink(brokers, new LineFile(truthFile));
  }

  async write(line: SimulatedLine): Promise<void> {
    if (line.stream === GROUND_TRUTH_STREAM) return this.truth.write(line.line);
    if (line.stream === TOPICS.fxRatePublished) {
      await this.publisher.publish(line.stream, [{ key: line.key, value: line.line }]);
      this.referenceSentAt = Date.now();
      return;
    }
    if (this.referenceSentAt !== undefined) {
      const wait = this.referenceSentAt + this.referenceLeadMs - Date.now();
      this.referenceSentAt = undefined;
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    }
    const batch = this.batches.get(line.stream) ?? [];
    batch.push({ key: line.key, value: line.line });
    this.batches.set(line.stream, batch);
    if (batch.length >= this.batchSize) await this.flush(line.stream);
  }

  private async flush(topic: string): Promise<void> {
    const batch = this.batches.get(topic) ?? [];
    this.batches.set(topic, []);
    await this.publisher.publish(topic, batch);
  }

  async close(): Promise<void> {
    try {
      for (const topic of [...this.batches.keys()].sort()) await this.flush(topic);
    } finally {
      await this.publisher.onApplicationShutdown();
      await this.truth.close();
    }
  }
}
