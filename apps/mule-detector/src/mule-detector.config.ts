import { z } from 'zod';
import { kafkaEnvShape, logEnvShape, parseEnv, redisEnvShape } from '@scamflow/config';
import { consumerEnvShape, kafkaSecurityEnvShape } from '@scamflow/messaging';
import { DEFAULT_HTTP_PORTS, observabilityEnvShape } from '@scamflow/observability';
import { ACCOUNT_TYPES } from '@scamflow/contracts';
import {
  detectionProfileEnvShape,
  detectionProfileSelectionOf,
  profileFor,
  profilesIn,
  type DetectionProfile,
  type MemoryBounds,
} from '@scamflow/detection-profiles';
import { muleRulesOfProfile, windowMsOf, type MuleDetectionRules } from './evaluate-mule-account';
import { DEFAULT_REPORTING_THRESHOLDS } from './fan-out-structuring.detector';
import { DEFAULT_HUB_POLICY as HUBS, type HubPolicy } from './hub-policy';

const count = (fallback: number, min = 1) => z.coerce.number().int().min(min).default(fallback);

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

/** "merchant:in,payroll:out" → account type → the fan side it exists for (HubPolicy.declaredSides). */
const declaredSides = (fallback: ReadonlyMap<string, 'in' | 'out'>) =>
  list([...fallback].map(([type, side]) => `${type}:${side}`))
    .transform((pairs) => pairs.map((pair) => pair.split(':')))
    .pipe(z.array(z.tuple([z.enum(ACCOUNT_TYPES), z.enum(['in', 'out'])])))
    .transform((pairs) => new Map(pairs));

/** "THB:50000,USD:10000" → currency → threshold in major units. */
const thresholds = z
  .string()
  .default([...DEFAULT_REPORTING_THRESHOLDS].map(([currency, value]) => `${currency}:${value}`).join(','))
  .transform((s) => s.split(',').map((pair) => pair.trim().split(':')))
  .pipe(z.array(z.tuple([z.string().regex(/^[A-Z0-9]{3,10}$/), z.string().regex(/^\d+(\.\d+)?$/)])))
  .transform((pairs) => new Map(pairs));

const structuringEnvShape = {
  /** Reporting threshold per currency in major units: "THB:50000,USD:10000" (law, not time scale: not in profiles). */
  STRUCTURING_REPORTING_THRESHOLDS: thresholds,
};

const hubEnvShape = {
  /** Account keys (`<institutionId>:<accountId>`) never alerted by mule detectors. */
  MULE_ALLOW_LIST_ACCOUNT_KEYS: list(),
  /** Institution ids (remittance companies, exchanges) whose accounts are never alerted. */
  MULE_ALLOW_LIST_INSTITUTION_IDS: list(),
  HUB_SKIPPED_ACCOUNT_TYPES: accountTypes(HUBS.skippedAccountTypes),
  HUB_STRONGER_EVIDENCE_ACCOUNT_TYPES: accountTypes(HUBS.strongerEvidenceAccountTypes),
  HUB_EVIDENCE_MULTIPLIER: count(HUBS.evidenceMultiplier),
  HUB_DECLARED_SIDES: declaredSides(HUBS.declaredSides),
  /** Account types a payment to is spending, not forwarding (HubPolicy.spendingAccountTypes): "merchant". */
  HUB_SPENDING_ACCOUNT_TYPES: accountTypes(HUBS.spendingAccountTypes),
};

export const MuleDetectorConfigSchema = z.object({
  ...kafkaEnvShape,
  ...redisEnvShape,
  ...logEnvShape,
  ...kafkaSecurityEnvShape,
  ...consumerEnvShape,
  ...observabilityEnvShape(DEFAULT_HTTP_PORTS.muleDetector),
  MULE_DETECTOR_GROUP_ID: z.string().min(1).default('mule-detector'),
  MULE_DETECTOR_MAX_MESSAGE_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(64 * 1024),
  /** Windows and thresholds come from the detection profile(s): see libs/detection-profiles. */
  ...detectionProfileEnvShape,
  ...structuringEnvShape,
  ...hubEnvShape,
});
export type MuleDetectorConfig = z.infer<typeof MuleDetectorConfigSchema>;

export const MULE_DETECTOR_CONFIG = Symbol('MULE_DETECTOR_CONFIG');

export const loadMuleDetectorConfig = (
  env: Record<string, string | undefined> = process.env,
): MuleDetectorConfig => parseEnv(MuleDetectorConfigSchema, env);

const hubPolicyOf = (c: MuleDetectorConfig): HubPolicy => ({
  allowListedAccountKeys: new Set(c.MULE_ALLOW_LIST_ACCOUNT_KEYS),
  allowListedInstitutionIds: new Set(c.MULE_ALLOW_LIST_INSTITUTION_IDS),
  skippedAccountTypes: new Set(c.HUB_SKIPPED_ACCOUNT_TYPES),
  strongerEvidenceAccountTypes: new Set(c.HUB_STRONGER_EVIDENCE_ACCOUNT_TYPES),
  evidenceMultiplier: c.HUB_EVIDENCE_MULTIPLIER,
  declaredSides: c.HUB_DECLARED_SIDES,
  spendingAccountTypes: new Set(c.HUB_SPENDING_ACCOUNT_TYPES),
});

/** The rules that judge accounts of each institution: the default profile's, or the institution's override. */
export interface MuleDetectionPlan {
  readonly rulesFor: (institutionId: string) => MuleDetectionRules;
  /** The fan detector's window for that side at this institution: running stats count their peak over it. */
  readonly peakWindowMsFor: (institutionId: string, side: 'in' | 'out') => number;
  /** Legs are kept this long before each account's latest event: longest window plus the allowed lateness. */
  readonly retentionMs: number;
  /** Per-account caps of the strictest selected profile (memory is bounded whichever profile applies). */
  readonly memory: MemoryBounds;
}

export const muleDetectionPlanOf = (c: MuleDetectorConfig): MuleDetectionPlan => {
  const selection = detectionProfileSelectionOf(c);
  const hubs = hubPolicyOf(c);
  const rules = new Map<DetectionProfile, MuleDetectionRules>(
    profilesIn(selection).map((p) => [p, muleRulesOfProfile(p, c.STRUCTURING_REPORTING_THRESHOLDS, hubs)]),
  );
  const profiles = [...rules.keys()];
  return {
    rulesFor: (institutionId) => rules.get(profileFor(selection, institutionId))!,
    peakWindowMsFor: (institutionId, side) => {
      const profile = profileFor(selection, institutionId);
      return side === 'in' ? profile.fanIn.windowMs : profile.fanOut.windowMs;
    },
    retentionMs: Math.max(...profiles.map((p) => windowMsOf(rules.get(p)!) + p.eventTime.allowedLatenessMs)),
    memory: {
      maxLegsPerAccountSide: Math.min(...profiles.map((p) => p.memory.maxLegsPerAccountSide)),
      maxKnownSenders: Math.min(...profiles.map((p) => p.memory.maxKnownSenders)),
    },
  };
};
