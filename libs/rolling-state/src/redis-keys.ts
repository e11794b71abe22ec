/**
 * Every Redis key and TTL the system uses, built in one place. The deployment-wide prefix is applied by
 * the client (`keyPrefix`), so these are relative names.
 */
const HOUR_S = 60 * 60;
const DAY_S = 24 * HOUR_S;

export const REDIS_TTL_SECONDS = {
  /** Idle accounts' rolling flows expire after this. */
  accountFlows: 3 * DAY_S,
  /** The issued state of an alert (id, version, fingerprint) per typology and subject, kept this long. */
  alertState: 30 * DAY_S,
  /** An account named as a mule by an alert stays known this long after its latest such alert. */
  knownMule: 180 * DAY_S,
  /** A victim's reported payments still to be found in the graph; outlives the default 30-day trace horizon. */
  victimPaymentWatch: 45 * DAY_S,
  /** Senders an account has been paid by (first time seen each); idle accounts forget them after this. */
  accountSenders: 90 * DAY_S,
  /** Opened date and type of an account, from account facts; refreshed by each new fact. */
  accountProfile: 400 * DAY_S,
  /** Running moments of an account's legs (count, mean, variance of amounts and gaps); idle accounts forget them. */
  accountFlowStats: 90 * DAY_S,
  /** A corrupt value moved aside stays this long for someone to inspect it. */
  quarantine: 30 * DAY_S,
  /** A dead letter re-sent by `npm run dlq:replay` is remembered this long, so a second run skips it. */
  dlqReplayed: 90 * DAY_S,
  /**
   * Network detector's temporal adjacency of an idle account: longer than the widest profile window (daily-batch
   * cycles, 30 days) plus its allowed lateness (3 days); the sets are also trimmed by event time and capped per
   * account on every write, so this only bounds accounts that went quiet.
   */
  temporalAdjacency: 35 * DAY_S,
  /** Identifier → accounts and account → identifiers sightings (network detector); refreshed by each sighting. */
  identifierIndex: 180 * DAY_S,
  /**
   * Incremental taint state of an account (per case) and a case's record: refreshed by each write; each case's
   * entries also carry the case's horizon and are dropped once it passes, so this only bounds idle keys.
   */
  proceedsState: 45 * DAY_S,
} as const;

export const redisKeys = {
  /**
   * When this deployment's state began (ISO time), kept without expiry: its absence means Redis lost the state
   * (see StateEpochGuard).
   */
  stateEpoch: 'state:epoch',
  accountInflows: (accountKey: string) => `account:${accountKey}:in`,
  accountOutflows: (accountKey: string) => `account:${accountKey}:out`,
  /** Sorted set: sender account key scored by the first time (event ms) it paid this account; bounded. */
  accountSenders: (accountKey: string) => `account:${accountKey}:senders`,
  /**
   * Hash of running moments per side and asset ("in|THB/2|mean"), plus the per-side cap floor and dropped-leg
   * count: 8 numbers per side and asset, whatever the account's volume.
   */
  accountFlowStats: (accountKey: string) => `account:${accountKey}:flow-stats`,
  /** Hash: openedAtMs, accountType, observedAtMs of the latest account-opened fact. */
  accountProfile: (accountKey: string) => `account:${accountKey}:profile`,
  alertState: (typology: string, subjectKey: string) => `alert:${typology}:${subjectKey}`,
  /** An account a mule alert has named (JSON: alert id, typology, score). */
  knownMule: (accountKey: string) => `known-mule:${accountKey}`,
  /** Reference FX rates of one pair, a sorted set scored by validFrom (ms); kept without TTL (reference data). */
  fxRates: (base: string, quote: string) => `fx:${base}:${quote}`,
  /** Hash: victim case id → its reported payments not yet in the graph (JSON), at the victim's account. */
  victimPaymentWatch: (accountKey: string) => `proceeds:victim-watch:${accountKey}`,
  /** Raw copy of a corrupt value found at `key` (relative), kept for inspection. */
  quarantine: (key: string) => `quarantine:${key}`,
  /** Marker of one dead letter (`<dlq topic>/<partition>@<offset>`) already re-sent by the replay tool. */
  dlqReplayed: (deadLetterId: string) => `dlq:replayed:${deadLetterId}`,
  /** Sorted set: transfers into the account scored by event ms (network detector's temporal adjacency). */
  adjacencyIn: (accountKey: string) => `adjacency:${accountKey}:in`,
  /** Sorted set: transfers out of the account scored by event ms. */
  adjacencyOut: (accountKey: string) => `adjacency:${accountKey}:out`,
  /** Sorted set: accounts seen with an identifier, scored by first sighting (ms); capped. */
  identifierAccounts: (identifierKey: string) => `identifier:${identifierKey}:accounts`,
  /** HyperLogLog: distinct accounts seen with an identifier beyond the sorted set's cap (a hub's size). */
  identifierOverflow: (identifierKey: string) => `identifier:${identifierKey}:overflow`,
  /** Hash: identifier key → `firstSeenMs|lastSeenMs` of its sightings on the account; capped. */
  accountIdentifiers: (accountKey: string) => `account:${accountKey}:identifiers`,
  /** Hash: case id → the account's incremental taint state in that case (JSON), plus `~v` (write version). */
  proceedsState: (accountKey: string) => `proceeds:state:${accountKey}`,
  /** Hash: `record` (the case's trace record, JSON), `v` (write version), `jfrom` (journal complete from, ms). */
  proceedsCase: (caseId: string) => `proceeds:case:${caseId}`,
  /** Set: transfer ids already applied to the case (a replayed transfer is never applied twice). */
  proceedsCaseApplied: (caseId: string) => `proceeds:case:${caseId}:applied`,
  /** Set: accounts holding state of the case (cleared when the case is re-traced from the graph). */
  proceedsCaseAccounts: (caseId: string) => `proceeds:case:${caseId}:accounts`,
  /**
   * Sorted set (score: event ms): the case's journal, one entry per transfer applied within the allowed lateness
   * (its accounts' states before it and its effect on the record); the case hash's `jfrom` says from when on it
   * is complete.
   */
  proceedsCaseJournal: (caseId: string) => `proceeds:case:${caseId}:journal`,
  /**
   * Sorted set: case id → when (clock ms) its deferred trace from the graph is due (see RetraceScheduleRepository);
   * a claimed case is scored at the end of its claim's lease. The `{retrace}` hash tag keeps it in one Redis Cluster
   * slot with the hash below: the schedule's scripts touch both.
   */
  proceedsRetraceDue: 'proceeds:{retrace}:due',
  /** Hash: case id → `<first request ms>|<reason>` of its deferred trace from the graph. */
  proceedsRetraceRequested: 'proceeds:{retrace}:requested',
} as const;
