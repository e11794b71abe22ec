/**
 * Every Redis key and TTL the system uses, built in one place. The deployment-wide prefix is applied by
 * the client (`keyPrefix`), so these are relative names.
 */
const HOUR_S = 60 * 60;
const DAY_S = 24 * HOUR_S;

export const REDIS_TTL_SECONDS = {
  /** How long a transfer id is remembered for de-duplication of replays and duplicate producers. */
  transferSeen: 14 * DAY_S,
  /** Idle accounts' rolling flows expire after this. */
  accountFlows: 3 * DAY_S,
  /** A raised alert suppresses a duplicate for the same subject and typology for this long. */
  alertRaised: 7 * DAY_S,
} as const;

export const redisKeys = {
  transferSeen: (transferId: string) => `transfer:seen:${transferId}`,
  accountInflows: (accountKey: string) => `account:${accountKey}:in`,
  accountOutflows: (accountKey: string) => `account:${accountKey}:out`,
  alertRaised: (typology: string, accountKey: string) => `alert:${typology}:${accountKey}`,
  /** Reference FX rates of one pair, a sorted set scored by validFrom (ms); kept without TTL (reference data). */
  fxRates: (base: string, quote: string) => `fx:${base}:${quote}`,
} as const;
