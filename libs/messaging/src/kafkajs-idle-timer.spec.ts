import {
  PATCHED_KAFKAJS_VERSION,
  fixKafkajsIdleTimer,
  scheduleCheckPendingRequests,
  type KafkajsRequestQueue,
} from './kafkajs-idle-timer';

/* eslint-disable @typescript-eslint/no-require-imports -- kafkajs's internal class, as the fix reaches it */
const RequestQueue = require('kafkajs/src/network/requestQueue') as new (options: object) => RealQueue;
const { version } = require('kafkajs/package.json') as { version: string };
/* eslint-enable @typescript-eslint/no-require-imports */

interface RealQueue extends KafkajsRequestQueue {
  push(request: object): void;
  fulfillRequest(response: { correlationId: number; payload: Buffer; size: number }): void;
  maybeThrottle(ms: number): void;
}

const silent = {
  debug: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  info: () => undefined,
};
const queueOf = (maxInFlightRequests: number): RealQueue =>
  new RequestQueue({
    maxInFlightRequests,
    requestTimeout: 30_000,
    enforceRequestTimeout: false,
    clientId: 'spec',
    broker: 'localhost:1',
    logger: silent,
  });
const requestOf = (correlationId: number, sent: number[]) => ({
  entry: { correlationId, apiKey: 1, apiName: 'Fetch', apiVersion: 11, resolve: () => undefined },
  expectResponse: true,
  sendRequest: () => sent.push(correlationId),
});

describe('kafkajs idle request-queue timer', () => {
  const original = (RequestQueue as unknown as { prototype: KafkajsRequestQueue }).prototype
    .scheduleCheckPendingRequests;
  afterEach(() => jest.useRealTimers());

  it('is written for the kafkajs release installed (an upgrade must re-check the fix)', () => {
    expect(version).toBe(PATCHED_KAFKAJS_VERSION);
  });

  it('unpatched, an idle connection re-arms a timer after every check (the bug this fixes)', () => {
    const queue = queueOf(1);
    queue.scheduleCheckPendingRequests = original;
    queue.checkPendingRequests();
    expect(queue.throttleCheckTimeoutId).not.toBeNull();
    clearTimeout(queue.throttleCheckTimeoutId ?? undefined);
  });

  it('patched, an idle connection arms no timer, and queued requests still go out in order', () => {
    expect(fixKafkajsIdleTimer(() => undefined)).toBe(true);
    expect(
      (RequestQueue as unknown as { prototype: KafkajsRequestQueue }).prototype.scheduleCheckPendingRequests,
    ).toBe(scheduleCheckPendingRequests);
    const queue = queueOf(1);
    queue.checkPendingRequests();
    expect(queue.throttleCheckTimeoutId).toBeNull();

    const sent: number[] = [];
    queue.push(requestOf(1, sent));
    queue.push(requestOf(2, sent)); // waits for the one in-flight slot
    expect(sent).toEqual([1]);
    expect(queue.throttleCheckTimeoutId).not.toBeNull(); // re-checked while a request waits
    queue.fulfillRequest({ correlationId: 1, payload: Buffer.alloc(0), size: 0 });
    expect(sent).toEqual([1, 2]);
    queue.fulfillRequest({ correlationId: 2, payload: Buffer.alloc(0), size: 0 });
    clearTimeout(queue.throttleCheckTimeoutId ?? undefined);
    queue.throttleCheckTimeoutId = null;
    queue.checkPendingRequests();
    expect(queue.throttleCheckTimeoutId).toBeNull();
  });

  it('patched, a request queued while the broker throttles goes out when the throttle ends', () => {
    jest.useFakeTimers({ now: 1_000_000 });
    fixKafkajsIdleTimer(() => undefined);
    const queue = queueOf(5);
    queue.maybeThrottle(500);
    const sent: number[] = [];
    queue.push(requestOf(7, sent));
    expect(sent).toEqual([]);
    jest.advanceTimersByTime(499);
    expect(sent).toEqual([]);
    jest.advanceTimersByTime(1);
    expect(sent).toEqual([7]);
    expect(queue.throttleCheckTimeoutId).toBeNull(); // nothing left to check: no timer
  });
});
