/**
 * Detection profiles: every typology's windows and thresholds for one time scale. A deployment picks one profile
 * per feed or institution (`DETECTION_PROFILE`, `DETECTION_PROFILE_BY_INSTITUTION`); nothing is fitted per
 * dataset. Durations are milliseconds of event time, counts are accounts or transfers as named, ratios and
 * shares are plain numbers (a share lies in [0, 1]).
 */
const MINUTE_MS = 60 * 1000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

export const DETECTION_PROFILE_NAMES = ['instant-payments', 'daily-batch'] as const;
export type DetectionProfileName = (typeof DETECTION_PROFILE_NAMES)[number];

/** Event time handling, shared by every detector of a profile. */
export interface EventTimePolicy {
  /** A transfer booked up to this long before the latest event already seen still counts in every window. */
  readonly allowedLatenessMs: number;
}

/** Bounds on per-account state: a hub is summarised, never read whole. */
export interface MemoryBounds {
  /** Legs kept per account and side (in, out) inside the retention window; the oldest are dropped beyond it. */
  readonly maxLegsPerAccountSide: number;
  /** Senders remembered per account for the first-time-sender share (the earliest seen are kept). */
  readonly maxKnownSenders: number;
}

export interface FanInPassThroughProfile {
  readonly windowMs: number;
  readonly minDistinctSenders: number;
  readonly minPassThroughRatio: number;
  readonly maxDwellMs: number;
  readonly newAccountMaxAgeDays: number;
  readonly newAccountMinDistinctSenders: number;
  readonly newAccountScoreBoost: number;
  readonly minFirstTimeSenderShare: number;
  readonly firstTimeSendersScoreBoost: number;
}

export interface RapidPassThroughProfile {
  readonly windowMs: number;
  readonly minCycles: number;
  readonly maxDwellMs: number;
  readonly minOutInRatio: number;
  readonly maxOutInRatio: number;
  readonly maxResidualBalanceRatio: number;
}

export interface FanOutStructuringProfile {
  readonly windowMs: number;
  readonly minDistinctReceivers: number;
  readonly bandRatio: number;
  readonly minStructuredTransfers: number;
  readonly minStructuredShare: number;
  readonly minFundedRatio: number;
}

/** Fan-in / fan-out: a burst of legs on one side of one account, against the account's own running rhythm. */
export interface FanProfile {
  /** The burst is looked for in this window, ending at the account's latest event. */
  readonly windowMs: number;
  /** Fires on this many distinct counterparties in the window ... */
  readonly minDistinctCounterparties: number;
  /** ... or on one counterparty splitting a payment into at least this many transfers in the window. */
  readonly minSplitTransfers: number;
  /** The window's legs must be at least this many times the account's usual count per window. */
  readonly minBurstFactor: number;
  /** Running statistics need this many earlier legs before the burst factor is trusted (else: new account). */
  readonly minHistoryLegs: number;
  /**
   * An account opened at most this many days before the window's end (or whose opening no bank reported) is
   * judged on `minDistinctCounterparties`; an older one is established and needs
   * `establishedMinDistinctCounterparties` distinct counterparties (a split payment counts the same for both).
   */
  readonly newAccountMaxAgeDays: number;
  readonly establishedMinDistinctCounterparties: number;
}

/** Gather-scatter at one account: many senders in, then many receivers out, soon after. */
export interface GatherScatterProfile {
  readonly windowMs: number;
  readonly minDistinctSenders: number;
  readonly minDistinctReceivers: number;
  /** Outflows count when they leave within this time of the latest inflow before them. */
  readonly maxDwellMs: number;
  /** Share of the gathered inflow scattered on (a share: [0, 1]). */
  readonly minForwardedShare: number;
}

/** Network typologies (network-detector, H5b): search bounds per new transfer. */
export interface LayeringChainProfile {
  readonly minHops: number;
  readonly maxHops: number;
  /** Each hop leaves no later than this after the hop before it. */
  readonly maxGapMs: number;
  /** Each hop carries at least this share of the previous hop's amount ... */
  readonly minKeptRatio: number;
  /** ... and at most this multiple of it. */
  readonly maxGainRatio: number;
}

export interface CycleProfile {
  readonly minHops: number;
  readonly maxHops: number;
  /** The whole cycle (first hop to return) fits in this window. */
  readonly windowMs: number;
  readonly minReturnedRatio: number;
}

export interface ScatterGatherProfile {
  /** From the scatter's first leg to the gather's last. */
  readonly windowMs: number;
  /** Distinct intermediaries between the source and the sink. */
  readonly minIntermediaries: number;
  /** Share of the scattered amount gathered again (a share: [0, 1]). */
  readonly minGatheredShare: number;
}

export interface BipartiteProfile {
  readonly windowMs: number;
  readonly minSources: number;
  readonly minSinks: number;
  /** Share of possible source → sink pairs that did pay (a share: [0, 1]). */
  readonly minPairDensity: number;
  /** Stacked layering: at most this many layers of sets are followed from a new transfer. */
  readonly maxLayers: number;
}

export interface NetworkSearchBounds {
  /** Accounts with more legs than this in the window are hubs: paths are not followed through them. */
  readonly maxAccountDegree: number;
  /** Paths enumerated per new transfer at most (the alert says when the cap was reached). */
  readonly maxPathsPerTransfer: number;
}

export interface DetectionProfile {
  readonly name: DetectionProfileName;
  readonly description: string;
  readonly eventTime: EventTimePolicy;
  readonly memory: MemoryBounds;
  readonly fanInPassThrough: FanInPassThroughProfile;
  readonly rapidPassThrough: RapidPassThroughProfile;
  readonly fanOutStructuring: FanOutStructuringProfile;
  readonly fanIn: FanProfile;
  readonly fanOut: FanProfile;
  readonly gatherScatter: GatherScatterProfile;
  readonly layeringChain: LayeringChainProfile;
  readonly cycle: CycleProfile;
  readonly scatterGather: ScatterGatherProfile;
  readonly bipartite: BipartiteProfile;
  readonly network: NetworkSearchBounds;
}

/** Minutes-to-hours mules on real-time rails (PromptPay, FPS, UPI): today's windows. */
export const INSTANT_PAYMENTS_PROFILE: DetectionProfile = {
  name: 'instant-payments',
  description: 'real-time rails: mules forward within minutes, timestamps to the second',
  eventTime: {
    // Real-time feeds deliver within seconds; 10 min covers a producer's retries and a partition's catch-up.
    allowedLatenessMs: 10 * MINUTE_MS,
  },
  memory: {
    // A mule account moves tens of legs a day; 500 per side keeps a day of a busy one and bounds a hub.
    maxLegsPerAccountSide: 500,
    // First-time-sender share needs the account's usual payers; 1,000 covers a shop's regulars.
    maxKnownSenders: 1_000,
  },
  fanInPassThrough: {
    // Victims of one scam wave pay within the hour the scammer collects.
    windowMs: HOUR_MS,
    // Five strangers paying one private account in an hour is rare outside shops (which are hub-typed).
    minDistinctSenders: 5,
    // A mule keeps a cut of at most ~20 %.
    minPassThroughRatio: 0.8,
    // Mules forward before the victim's bank can recall: within half an hour.
    maxDwellMs: 30 * MINUTE_MS,
    // Mule accounts are typically opened weeks before use.
    newAccountMaxAgeDays: 30,
    // A fresh account needs less corroboration.
    newAccountMinDistinctSenders: 3,
    // Weight of a new account in the score (a hint, never alone).
    newAccountScoreBoost: 0.15,
    // Victims have never paid the mule before.
    minFirstTimeSenderShare: 0.8,
    // Weight of mostly-strangers in the score.
    firstTimeSendersScoreBoost: 0.1,
  },
  rapidPassThrough: {
    // A mule's working day.
    windowMs: DAY_MS,
    // One salary → rent cycle is ordinary life; three in a day is not.
    minCycles: 3,
    // Forwarded within half an hour of arriving.
    maxDwellMs: 30 * MINUTE_MS,
    // Out about equals in (±10 %): the account is a conduit.
    minOutInRatio: 0.9,
    // Out above 110 % of in spends an earlier balance: not a conduit.
    maxOutInRatio: 1.1,
    // Balance back under 10 % of the cycle's credits.
    maxResidualBalanceRatio: 0.1,
  },
  fanOutStructuring: {
    // Reporting thresholds are per day in most FIUs.
    windowMs: DAY_MS,
    // Scatter to five receivers keeps each under the threshold.
    minDistinctReceivers: 5,
    // "Just under" = within 10 % below the threshold.
    bandRatio: 0.1,
    // Three near-threshold amounts are no coincidence.
    minStructuredTransfers: 3,
    // Half the outflows near the threshold (payroll's varied amounts are not).
    minStructuredShare: 0.5,
    // The scatter spends fresh money (80 % of it came in during the window).
    minFundedRatio: 0.8,
  },
  fanIn: {
    // A scam wave's payments land within the hour.
    windowMs: HOUR_MS,
    // Ten distinct payers in an hour: five is the pass-through rule's, plain fan-in needs twice the evidence.
    minDistinctCounterparties: 10,
    // Four transfers from one payer inside an hour: scam victims are pushed to pay again and again ("a fee to
    // release the first payment"), up to three times in the simulator's operations, so three is victim behaviour;
    // splitting to stay under per-transfer limits takes more pieces.
    minSplitTransfers: 4,
    // Five times the account's usual hourly count: shops paid all day long stay under it.
    minBurstFactor: 5,
    // Twenty earlier legs give a usable rhythm; fewer and the account is treated as new (factor not used).
    minHistoryLegs: 20,
    // Mule accounts are typically opened weeks before use (as fanInPassThrough). Many strangers paying into a
    // fresh account is the typology; into an account a customer has held for longer it is also a group
    // collection, a gift pool, a small seller's busy day, so the payers alone must be twice as many. Split
    // payments and the pass-through rules judge established accounts as before.
    newAccountMaxAgeDays: 30,
    establishedMinDistinctCounterparties: 20,
  },
  fanOut: {
    // Same scale as fan-in: the scatter follows the collection within the hour.
    windowMs: HOUR_MS,
    // Ten receivers in an hour from a private account.
    minDistinctCounterparties: 10,
    // As fan-in: a victim paying one mule three times within the hour must not be the subject.
    minSplitTransfers: 4,
    // As fan-in.
    minBurstFactor: 5,
    // As fan-in.
    minHistoryLegs: 20,
    // As fan-in: an established customer paying many people once (a treasurer refunding a trip) needs twice the
    // receivers of a fresh account.
    newAccountMaxAgeDays: 30,
    establishedMinDistinctCounterparties: 20,
  },
  gatherScatter: {
    // Collect from victims and redistribute within a day.
    windowMs: DAY_MS,
    // Five senders in (as fan-in pass-through).
    minDistinctSenders: 5,
    // Five receivers out (as fan-out structuring).
    minDistinctReceivers: 5,
    // Redistributed within six hours of the last collection.
    maxDwellMs: 6 * HOUR_MS,
    // Most of it moves on (a 20 % cut at most).
    minForwardedShare: 0.8,
  },
  layeringChain: {
    // Two forwards make a coincidence, three a chain.
    minHops: 3,
    // Beyond five hops the search cost grows faster than the evidence.
    maxHops: 5,
    // Each hop within two hours of the one before.
    maxGapMs: 2 * HOUR_MS,
    // Each mule keeps at most 15 %.
    minKeptRatio: 0.85,
    // Up to 5 % added (fees paid by the mule, rounding).
    maxGainRatio: 1.05,
  },
  cycle: {
    // A → B → A is how repayments look (54 false positives at 2 hops in the standard benchmark).
    minHops: 3,
    // Longer loops are found by the chain search.
    maxHops: 6,
    // Round-tripping through three days of instant transfers.
    windowMs: 3 * DAY_MS,
    // 80 % of the value comes back.
    minReturnedRatio: 0.8,
  },
  scatterGather: {
    // Scatter and regather within a day.
    windowMs: DAY_MS,
    // Three parallel intermediaries.
    minIntermediaries: 3,
    // 80 % regathered.
    minGatheredShare: 0.8,
  },
  bipartite: {
    // One layer's sets pay the next within a day.
    windowMs: DAY_MS,
    // Three sources ...
    minSources: 3,
    // ... paying three sinks ...
    minSinks: 3,
    // ... with at least half of the possible pairs used.
    minPairDensity: 0.5,
    // Three stacked layers from a new transfer (cost bound).
    maxLayers: 3,
  },
  network: {
    // A private account rarely has 200 legs in a window; beyond it is a hub.
    maxAccountDegree: 200,
    // Paths per new transfer (a busy account is summarised, not enumerated).
    maxPathsPerTransfer: 10,
  },
};

/** Feeds whose timestamps are days (batch files, AMLSim steps): windows count days, not minutes. */
export const DAILY_BATCH_PROFILE: DetectionProfile = {
  name: 'daily-batch',
  description: 'end-of-day batch feeds: one timestamp per business day, money moves over days',
  eventTime: {
    // Batches are re-delivered or corrected the next business days (a weekend is 3 days).
    allowedLatenessMs: 3 * DAY_MS,
  },
  memory: {
    // A month of a private account's legs; a hub beyond it is summarised.
    maxLegsPerAccountSide: 500,
    // As instant-payments.
    maxKnownSenders: 1_000,
  },
  fanInPassThrough: {
    // Collections over a week of batches.
    windowMs: 7 * DAY_MS,
    // As instant-payments: five distinct payers.
    minDistinctSenders: 5,
    // As instant-payments: a cut of at most 20 %.
    minPassThroughRatio: 0.8,
    // Forwarded by the next business day (weekend: 3 days).
    maxDwellMs: 3 * DAY_MS,
    // As instant-payments.
    newAccountMaxAgeDays: 30,
    // As instant-payments.
    newAccountMinDistinctSenders: 3,
    // As instant-payments.
    newAccountScoreBoost: 0.15,
    // As instant-payments.
    minFirstTimeSenderShare: 0.8,
    // As instant-payments.
    firstTimeSendersScoreBoost: 0.1,
  },
  rapidPassThrough: {
    // Two weeks of daily cycles.
    windowMs: 14 * DAY_MS,
    // As instant-payments: repetition, not one salary → rent.
    minCycles: 3,
    // Forwarded the same or next day: a day's batch has one timestamp, so 1 day means "next batch".
    maxDwellMs: DAY_MS,
    // As instant-payments.
    minOutInRatio: 0.9,
    // As instant-payments.
    maxOutInRatio: 1.1,
    // As instant-payments.
    maxResidualBalanceRatio: 0.1,
  },
  fanOutStructuring: {
    // A week: structuring over days stays under daily thresholds.
    windowMs: 7 * DAY_MS,
    // As instant-payments.
    minDistinctReceivers: 5,
    // As instant-payments.
    bandRatio: 0.1,
    // As instant-payments.
    minStructuredTransfers: 3,
    // As instant-payments.
    minStructuredShare: 0.5,
    // As instant-payments.
    minFundedRatio: 0.8,
  },
  fanIn: {
    // One day: a batch day's legs share one timestamp, so the day is the finest window there is.
    windowMs: DAY_MS,
    // Ten distinct payers in a day on a private account.
    minDistinctCounterparties: 10,
    // One payer splitting into two transfers the same day: a batch feed has one booking per payment order, so
    // two to one receiver on one day is a split (AMLSim's normal model books one per pair and day).
    minSplitTransfers: 2,
    // As instant-payments, per day.
    minBurstFactor: 5,
    // As instant-payments.
    minHistoryLegs: 20,
    // As instant-payments: an account's age is a calendar fact, not a time scale of the feed.
    newAccountMaxAgeDays: 30,
    establishedMinDistinctCounterparties: 20,
  },
  fanOut: {
    // As fan-in.
    windowMs: DAY_MS,
    // As fan-in.
    minDistinctCounterparties: 10,
    // As fan-in.
    minSplitTransfers: 2,
    // As fan-in.
    minBurstFactor: 5,
    // As fan-in.
    minHistoryLegs: 20,
    // As fan-in.
    newAccountMaxAgeDays: 30,
    establishedMinDistinctCounterparties: 20,
  },
  gatherScatter: {
    // Collected and redistributed within a week of batches.
    windowMs: 7 * DAY_MS,
    // As instant-payments.
    minDistinctSenders: 5,
    // As instant-payments.
    minDistinctReceivers: 5,
    // Redistributed by the next business day (weekend: 3 days).
    maxDwellMs: 3 * DAY_MS,
    // As instant-payments.
    minForwardedShare: 0.8,
  },
  layeringChain: {
    // A hop may wait 36x longer than on instant rails, so ordinary accounts paying similar amounts on to each other
    // form 3-hop chains by coincidence (105 of them, 92 on unlabelled accounts, on amlsim-20k-fanin200 in the
    // network search replay); each extra hop divides that chance again. Four hops.
    minHops: 4,
    // As instant-payments.
    maxHops: 5,
    // Each hop by the next business day (weekend: 3 days).
    maxGapMs: 3 * DAY_MS,
    // As instant-payments.
    minKeptRatio: 0.85,
    // As instant-payments.
    maxGainRatio: 1.05,
  },
  cycle: {
    // As instant-payments.
    minHops: 3,
    // As instant-payments.
    maxHops: 6,
    // A month: each hop may wait for a batch, a weekend, a statement cycle.
    windowMs: 30 * DAY_MS,
    // As instant-payments.
    minReturnedRatio: 0.8,
  },
  scatterGather: {
    // A week of batches.
    windowMs: 7 * DAY_MS,
    // As instant-payments.
    minIntermediaries: 3,
    // As instant-payments.
    minGatheredShare: 0.8,
  },
  bipartite: {
    // A week of batches per layer.
    windowMs: 7 * DAY_MS,
    // As instant-payments.
    minSources: 3,
    // As instant-payments.
    minSinks: 3,
    // As instant-payments.
    minPairDensity: 0.5,
    // As instant-payments.
    maxLayers: 3,
  },
  network: {
    // More legs per window at daily scale (a week holds more): 500 before an account is a hub.
    maxAccountDegree: 500,
    // As instant-payments.
    maxPathsPerTransfer: 10,
  },
};

export const DETECTION_PROFILES: Readonly<Record<DetectionProfileName, DetectionProfile>> = {
  'instant-payments': INSTANT_PAYMENTS_PROFILE,
  'daily-batch': DAILY_BATCH_PROFILE,
};

export const isDetectionProfileName = (name: string): name is DetectionProfileName =>
  (DETECTION_PROFILE_NAMES as readonly string[]).includes(name);

/** The profile of that name, or a clear error naming the known ones. */
export const detectionProfileNamed = (name: string): DetectionProfile => {
  if (!isDetectionProfileName(name)) {
    throw new Error(`unknown detection profile "${name}" (known: ${DETECTION_PROFILE_NAMES.join(', ')})`);
  }
  return DETECTION_PROFILES[name];
};
