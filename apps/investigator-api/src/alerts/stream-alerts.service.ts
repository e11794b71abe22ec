import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { AlertInboxRepository, type AlertFilter, type StreamedAlertVersion } from '@scamflow/graph';
import { INVESTIGATOR_API_CONFIG, type InvestigatorApiConfig } from '../investigator-api.config';

const PAGE = 200;

export interface AlertStreamSink {
  /** False once the client has gone: the stream stops polling. */
  isOpen(): boolean;
  send(version: StreamedAlertVersion): void;
  /** Keeps idle connections (and proxies) alive. */
  ping(): void;
}

/**
 * Streams new alert versions from the store (not from this instance's consumer), so any API instance can serve
 * any client and a reconnect with Last-Event-ID replays exactly what was missed, even across restarts.
 */
@Injectable()
export class StreamAlertsService implements OnApplicationShutdown {
  private readonly logger = new Logger(StreamAlertsService.name);
  /** Set on shutdown: open streams stop polling a store whose driver is closing. */
  private stopped = false;

  constructor(
    @Inject(AlertInboxRepository) private readonly inbox: AlertInboxRepository,
    @Inject(INVESTIGATOR_API_CONFIG) private readonly config: InvestigatorApiConfig,
  ) {}

  onApplicationShutdown(): void {
    this.stopped = true;
  }

  /** Where a stream starts: after the client's last event id, or at the current head for a new client. */
  async startAfter(lastEventId: number | undefined): Promise<number> {
    return lastEventId ?? (await this.inbox.streamHead());
  }

  /** Replays what is stored after `afterSeq` (returns the last id sent), without waiting for new versions. */
  async replay(afterSeq: number, filter: AlertFilter, sink: AlertStreamSink): Promise<number> {
    let last = afterSeq;
    for (;;) {
      if (this.stopped || !sink.isOpen()) return last;
      const page = await this.inbox.versionsAfter(last, filter, PAGE);
      for (const version of page) sink.send(version);
      last = page[page.length - 1]?.streamSeq ?? last;
      if (page.length < PAGE) return last;
    }
  }

  /** Polls for new versions until the client goes. */
  async follow(afterSeq: number, filter: AlertFilter, sink: AlertStreamSink): Promise<void> {
    let last = afterSeq;
    let idlePolls = 0;
    const pingEvery = Math.max(1, Math.round(15_000 / this.config.API_STREAM_POLL_MS));
    while (!this.stopped && sink.isOpen()) {
      await new Promise((resolve) => setTimeout(resolve, this.config.API_STREAM_POLL_MS));
      try {
        const next = await this.replay(last, filter, sink);
        idlePolls = next === last ? idlePolls + 1 : 0;
        last = next;
        if (idlePolls > 0 && idlePolls % pingEvery === 0) sink.ping();
      } catch (error) {
        // A store hiccup must not end the stream: the next poll resumes from the last id sent.
        this.logger.warn(`alert stream poll failed: ${String(error)}`);
      }
    }
  }
}
