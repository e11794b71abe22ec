/**
 * kafkajs 2.2.4 (its last release) re-arms a timer every millisecond on every broker connection while nothing
 * is queued (tulios/kafkajs#1556, fix proposed in #1667 and #1768, never released): `scheduleCheckPendingRequests`
 * computes `throttledUntil - now`, negative when the broker never throttled, and calls `setTimeout` with it
 * anyway; the timer checks the empty queue and schedules itself again. Measured here: about 1,500 event-loop
 * wake-ups and 40 ms of CPU per second in an idle service, in every process that holds a Kafka connection.
 *
 * The replacement keeps kafkajs's rules (a throttled connection re-checks when the throttle ends; requests
 * waiting for an in-flight slot are re-checked every 10 ms) and arms no timer when there is nothing to check: a
 * request queued later arms one itself (`push` calls this method), and every response re-checks the queue.
 */

/** The fields of kafkajs's `RequestQueue` (src/network/requestQueue/index.js) the method uses. */
export interface KafkajsRequestQueue {
  throttledUntil: number;
  throttleCheckTimeoutId: NodeJS.Timeout | null;
  readonly pending: readonly unknown[];
  checkPendingRequests(): void;
  scheduleCheckPendingRequests(): void;
}

/** kafkajs's own re-check interval for requests waiting for an in-flight slot. */
const CHECK_PENDING_REQUESTS_INTERVAL_MS = 10;
/** The release the replacement was written against (and checked by its spec). */
export const PATCHED_KAFKAJS_VERSION = '2.2.4';

export function scheduleCheckPendingRequests(this: KafkajsRequestQueue): void {
  if (this.throttleCheckTimeoutId) return;
  const untilUnthrottledMs = this.throttledUntil - Date.now();
  let delayMs: number;
  if (this.pending.length > 0) {
    delayMs = untilUnthrottledMs > 0 ? untilUnthrottledMs : CHECK_PENDING_REQUESTS_INTERVAL_MS;
  } else if (untilUnthrottledMs > 0) {
    delayMs = untilUnthrottledMs;
  } else {
    return; // nothing queued, not throttled: nothing to check until a request is queued
  }
  this.throttleCheckTimeoutId = setTimeout(() => {
    this.throttleCheckTimeoutId = null;
    this.checkPendingRequests();
  }, delayMs);
}

let installed = false;

/**
 * Puts the replacement on kafkajs's `RequestQueue` once per process (called by `createKafka`). Only for the
 * release it was written against: another version is left as it is, with a warning, so an upgrade is noticed.
 */
export const fixKafkajsIdleTimer = (warn: (message: string) => void): boolean => {
  if (installed) return true;
  /* eslint-disable @typescript-eslint/no-require-imports -- kafkajs exports neither its version nor the class */
  const { version } = require('kafkajs/package.json') as { version: string };
  if (version !== PATCHED_KAFKAJS_VERSION) {
    warn(
      `kafkajs ${version} is not ${PATCHED_KAFKAJS_VERSION}: its idle request-queue timer is left unpatched (see kafkajs-idle-timer.ts)`,
    );
    return false;
  }
  const RequestQueue = require('kafkajs/src/network/requestQueue') as {
    prototype: KafkajsRequestQueue;
  };
  /* eslint-enable @typescript-eslint/no-require-imports */
  RequestQueue.prototype.scheduleCheckPendingRequests = scheduleCheckPendingRequests;
  installed = true;
  return true;
};
