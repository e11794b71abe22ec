/** One feed message: key = debtor account id, value = the event as JSON. */
export interface FeedMessage {
  readonly key: string;
  readonly value: string;
}

/** Where an import sends its batches; `send` resolves once the batch is acknowledged (backpressure). */
export interface FeedSink {
  readonly dryRun: boolean;
  send(messages: readonly FeedMessage[]): Promise<void>;
  close(): Promise<void>;
}

/** `--dry-run`: events are mapped and validated, nothing is sent. */
export class DryRunSink implements FeedSink {
  readonly dryRun = true;

  send(_messages: readonly FeedMessage[]): Promise<void> {
    return Promise.resolve();
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
