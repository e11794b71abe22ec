import { Inject, Injectable } from '@nestjs/common';
import pLimit, { type Limit } from 'p-limit';
import { ProblemException } from '../http/problem';
import { INVESTIGATOR_API_CONFIG, type InvestigatorApiConfig } from '../investigator-api.config';

/**
 * A bulkhead for graph traversals (trace, paths and their exports): at most `API_TRAVERSAL_CONCURRENCY` run at
 * once in this instance, the next ones wait in arrival order, and a request that would make the queue longer
 * than `API_TRAVERSAL_QUEUE` is refused at once (503, Retry-After) instead of waiting without end. A traversal
 * costs several times an inbox page or a profile (hop after hop of reads, then the whole traced graph decoded
 * and serialised); without the bulkhead twenty concurrent traces take the CPU the analysts' inbox needs, and
 * every call waits behind them.
 */
@Injectable()
export class TraversalGate {
  private readonly limit: Limit;
  private readonly concurrency: number;
  private readonly queue: number;

  constructor(@Inject(INVESTIGATOR_API_CONFIG) config: InvestigatorApiConfig) {
    this.concurrency = config.API_TRAVERSAL_CONCURRENCY;
    this.queue = config.API_TRAVERSAL_QUEUE;
    this.limit = pLimit(this.concurrency);
  }

  run<T>(work: () => Promise<T>): Promise<T> {
    const inFlight = this.limit.activeCount + this.limit.pendingCount;
    if (inFlight >= this.concurrency + this.queue) {
      return Promise.reject(
        new ProblemException(
          503,
          'Too many graph traversals',
          `this instance is running ${this.concurrency} traversals and ${inFlight - this.concurrency} more are waiting, the most it queues; retry shortly`,
          { retryAfterSeconds: 1 },
        ),
      );
    }
    return this.limit(work);
  }
}
