import { alertedAccountsOf, type AlertWithInvolved } from './alerted-accounts';
import { scoreDetections, type DetectionScores } from './detection-scores';

/** One ground-truth account record of the scam simulator (`record: 'account'` lines of ground-truth.jsonl). */
export interface TruthAccount {
  readonly accountKey: string;
  readonly role: string;
}

/**
 * The simulator roles counted as positives: the criminal side of an operation (as the pipeline benchmark counts
 * them), from the mules to the off-ramp customer account and the wallets after it.
 */
export const MULE_TRUTH_ROLES: ReadonlySet<string> = new Set([
  'mule',
  'collector',
  'off-ramp',
  'hop-wallet',
  'foreign-beneficiary',
]);

/** Proceeds-tracer's alerts follow victims' reports: not a mule detector's finding. */
const NOT_MULE_DETECTORS: ReadonlySet<string> = new Set(['mule.proximity-to-proceeds']);

/** Whether an alert typology belongs to the mule detectors (mule-detector and network-detector). */
export const isMuleDetectorTypology = (typology: string): boolean =>
  typology.startsWith('mule.') && !NOT_MULE_DETECTORS.has(typology);

/**
 * Precision and recall of the mule detectors alone against the simulator's ground truth, overall and per
 * typology: positives are the criminal-side accounts (MULE_TRUTH_ROLES); an alert detects its subject and the involved
 * accounts it gives a suspicious role (see alertedAccountsOf); proceeds alerts (and mule.proximity-to-proceeds,
 * which the proceeds tracer raises from victim reports) are left out. Give every version or only the latest of
 * each alert: an account counts once however many alerts name it.
 */
export const scoreMuleDetectorsOnTruth = (
  truth: readonly TruthAccount[],
  alerts: readonly AlertWithInvolved[],
): DetectionScores =>
  scoreDetections({
    accounts: new Set(truth.map((t) => t.accountKey)),
    positives: new Set(truth.filter((t) => MULE_TRUTH_ROLES.has(t.role)).map((t) => t.accountKey)),
    alerts: alerts.filter((a) => isMuleDetectorTypology(a.typology)).flatMap((a) => alertedAccountsOf(a)),
  });
