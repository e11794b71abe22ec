import { z } from 'zod';
import { kafkaEnvShape, logEnvShape, parseEnv, redisEnvShape } from '@scamflow/config';
import { ACCOUNT_TYPES } from '@scamflow/contracts';
import type { MuleDetectionRules } from './evaluate-mule-account';
import { DEFAULT_FAN_IN_PASS_THROUGH_RULE as FAN_IN } from './fan-in-pass-through.detector';
import {
  DEFAULT_FAN_OUT_STRUCTURING_RULE as STRUCTURING,
  DEFAULT_REPORTING_THRESHOLDS,
} from './fan-out-structuring.detector';
import { DEFAULT_HUB_POLICY as HUBS } from './hub-policy';
import { DEFAULT_RAPID_PASS_THROUGH_RULE as RAPID } from './rapid-pass-through.detector';

const ms = (fallback: number) => z.coerce.number().int().positive().default(fallback);
const count = (fallback: number, min = 1) => z.coerce.number().int().min(min).default(fallback);
const share = (fallback: number) => z.coerce.number().gt(0).max(1).default(fallback);
const boost = (fallback: number) => z.coerce.number().min(0).max(1).default(fallback);

/** Comma-separated list that may be empty. */
const list = (fallback: readonly string[] = []) =>
  z
    .string()
    .default(fallback.join(','))
    .transform((s) =>
      s
        .split(',')
        .map((part) => part.trim())
        .filter((part) => part.length > 0),
    );

const accountTypes = (fallback: ReadonlySet<string>) =>
  list([...fallback]).pipe(z.array(z.enum(ACCOUNT_TYPES)));

/** "THB:50000,USD:10000" → currency → threshold in major units. */
const thresholds = z
  .string()
  .default([...DEFAULT_REPORTING_THRESHOLDS].map(([currency, value]) => `${currency}:${value}`).join(','))
  .transform((s) => s.split(',').map((pair) => pair.trim().split(':')))
  .pipe(z.array(z.tuple([z.string().regex(/^[A-Z0-9]{3,10}$/), z.string().regex(/^\d+(\.\d+)?$/)])))
  .transform((pairs) => new Map(pairs));

const fanInEnvShape = {
  FAN_IN_WINDOW_MS: ms(FAN_IN.windowMs),
  FAN_IN_MIN_DISTINCT_SENDERS: count(FAN_IN.minDistinctSenders, 2),
  FAN_IN_MIN_PASS_THROUGH_RATIO: share(FAN_IN.minPassThroughRatio),
  FAN_IN_MAX_DWELL_MS: ms(FAN_IN.maxDwellMs),
  FAN_IN_NEW_ACCOUNT_MAX_AGE_DAYS: count(FAN_IN.newAccountMaxAgeDays, 0),
  FAN_IN_NEW_ACCOUNT_MIN_DISTINCT_SENDERS: count(FAN_IN.newAccountMinDistinctSenders, 2),
  FAN_IN_NEW_ACCOUNT_SCORE_BOOST: boost(FAN_IN.newAccountScoreBoost),
  FAN_IN_MIN_FIRST_TIME_SENDER_SHARE: share(FAN_IN.minFirstTimeSenderShare),
  FAN_IN_FIRST_TIME_SENDERS_SCORE_BOOST: boost(FAN_IN.firstTimeSendersScoreBoost),
  /** Senders remembered per account for the first-time share (the earliest seen are kept). */
  FAN_IN_MAX_KNOWN_SENDERS: count(1_000),
};

const rapidPassThroughEnvShape = {
  RAPID_PASS_THROUGH_WINDOW_MS: ms(RAPID.windowMs),
  RAPID_PASS_THROUGH_MIN_CYCLES: count(RAPID.minCycles, 2),
  RAPID_PASS_THROUGH_MAX_DWELL_MS: ms(RAPID.maxDwellMs),
  RAPID_PASS_THROUGH_MIN_OUT_IN_RATIO: share(RAPID.minOutInRatio),
  RAPID_PASS_THROUGH_MAX_OUT_IN_RATIO: z.coerce.number().min(1).default(RAPID.maxOutInRatio),
  RAPID_PASS_THROUGH_MAX_RESIDUAL_BALANCE_RATIO: share(RAPID.maxResidualBalanceRatio),
};

const structuringEnvShape = {
  STRUCTURING_WINDOW_MS: ms(STRUCTURING.windowMs),
  STRUCTURING_MIN_DISTINCT_RECEIVERS: count(STRUCTURING.minDistinctReceivers, 2),
  /** Reporting threshold per currency in major units: "THB:50000,USD:10000". */
  STRUCTURING_REPORTING_THRESHOLDS: thresholds,
  STRUCTURING_BAND_RATIO: share(STRUCTURING.bandRatio),
  STRUCTURING_MIN_TRANSFERS: count(STRUCTURING.minStructuredTransfers, 2),
  STRUCTURING_MIN_SHARE: share(STRUCTURING.minStructuredShare),
  STRUCTURING_MIN_FUNDED_RATIO: share(STRUCTURING.minFundedRatio),
};

const hubEnvShape = {
  /** Account keys (`<institutionId>:<accountId>`) never alerted by mule detectors. */
  MULE_ALLOW_LIST_ACCOUNT_KEYS: list(),
  /** Institution ids (remittance companies, exchanges) whose accounts are never alerted. */
  MULE_ALLOW_LIST_INSTITUTION_IDS: list(),
  HUB_SKIPPED_ACCOUNT_TYPES: accountTypes(HUBS.skippedAccountTypes),
  HUB_STRONGER_EVIDENCE_ACCOUNT_TYPES: accountTypes(HUBS.strongerEvidenceAccountTypes),
  HUB_EVIDENCE_MULTIPLIER: count(HUBS.evidenceMultiplier),
};

export const MuleDetectorConfigSchema = z.object({
  ...kafkaEnvShape,
  ...redisEnvShape,
  ...logEnvShape,
  MULE_DETECTOR_GROUP_ID: z.string().min(1).default('mule-detector'),
  MULE_DETECTOR_MAX_MESSAGE_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(64 * 1024),
  ...fanInEnvShape,
  ...rapidPassThroughEnvShape,
  ...structuringEnvShape,
  ...hubEnvShape,
});
export type MuleDetectorConfig = z.infer<typeof MuleDetectorConfigSchema>;

export const MULE_DETECTOR_CONFIG = Symbol('MULE_DETECTOR_CONFIG');

export const loadMuleDetectorConfig = (
  env: Record<string, string | undefined> = process.env,
): MuleDetectorConfig => parseEnv(MuleDetectorConfigSchema, env);

/** The detectors' rules from the parsed configuration. */
export const muleDetectionRulesOf = (c: MuleDetectorConfig): MuleDetectionRules => ({
  fanInPassThrough: {
    windowMs: c.FAN_IN_WINDOW_MS,
    minDistinctSenders: c.FAN_IN_MIN_DISTINCT_SENDERS,
    minPassThroughRatio: c.FAN_IN_MIN_PASS_THROUGH_RATIO,
    maxDwellMs: c.FAN_IN_MAX_DWELL_MS,
    newAccountMaxAgeDays: c.FAN_IN_NEW_ACCOUNT_MAX_AGE_DAYS,
    newAccountMinDistinctSenders: c.FAN_IN_NEW_ACCOUNT_MIN_DISTINCT_SENDERS,
    newAccountScoreBoost: c.FAN_IN_NEW_ACCOUNT_SCORE_BOOST,
    minFirstTimeSenderShare: c.FAN_IN_MIN_FIRST_TIME_SENDER_SHARE,
    firstTimeSendersScoreBoost: c.FAN_IN_FIRST_TIME_SENDERS_SCORE_BOOST,
  },
  rapidPassThrough: {
    windowMs: c.RAPID_PASS_THROUGH_WINDOW_MS,
    minCycles: c.RAPID_PASS_THROUGH_MIN_CYCLES,
    maxDwellMs: c.RAPID_PASS_THROUGH_MAX_DWELL_MS,
    minOutInRatio: c.RAPID_PASS_THROUGH_MIN_OUT_IN_RATIO,
    maxOutInRatio: c.RAPID_PASS_THROUGH_MAX_OUT_IN_RATIO,
    maxResidualBalanceRatio: c.RAPID_PASS_THROUGH_MAX_RESIDUAL_BALANCE_RATIO,
  },
  fanOutStructuring: {
    windowMs: c.STRUCTURING_WINDOW_MS,
    minDistinctReceivers: c.STRUCTURING_MIN_DISTINCT_RECEIVERS,
    reportingThresholds: c.STRUCTURING_REPORTING_THRESHOLDS,
    bandRatio: c.STRUCTURING_BAND_RATIO,
    minStructuredTransfers: c.STRUCTURING_MIN_TRANSFERS,
    minStructuredShare: c.STRUCTURING_MIN_SHARE,
    minFundedRatio: c.STRUCTURING_MIN_FUNDED_RATIO,
  },
  hubs: {
    allowListedAccountKeys: new Set(c.MULE_ALLOW_LIST_ACCOUNT_KEYS),
    allowListedInstitutionIds: new Set(c.MULE_ALLOW_LIST_INSTITUTION_IDS),
    skippedAccountTypes: new Set(c.HUB_SKIPPED_ACCOUNT_TYPES),
    strongerEvidenceAccountTypes: new Set(c.HUB_STRONGER_EVIDENCE_ACCOUNT_TYPES),
    evidenceMultiplier: c.HUB_EVIDENCE_MULTIPLIER,
  },
});

/** Legs are kept long enough for the longest detector window plus the dwell allowance after it. */
export const flowRetentionMsOf = (r: MuleDetectionRules): number =>
  Math.max(
    r.fanInPassThrough.windowMs + r.fanInPassThrough.maxDwellMs,
    r.rapidPassThrough.windowMs,
    r.fanOutStructuring.windowMs,
  );
