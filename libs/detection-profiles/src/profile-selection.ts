import { z } from 'zod';
import {
  DETECTION_PROFILE_NAMES,
  DETECTION_PROFILES,
  type DetectionProfile,
  type DetectionProfileName,
} from './detection-profile';

/** Which profile applies where: one default, optionally another per institution (a batch-fed bank). */
export interface DetectionProfileSelection {
  readonly defaultProfile: DetectionProfile;
  /** Institution id → profile; institutions not listed use the default. */
  readonly byInstitution: ReadonlyMap<string, DetectionProfile>;
}

/** The profile that judges an account held at this institution. */
export const profileFor = (selection: DetectionProfileSelection, institutionId: string): DetectionProfile =>
  selection.byInstitution.get(institutionId) ?? selection.defaultProfile;

/** Every profile the selection can apply (state must be kept for the longest of their windows). */
export const profilesIn = (selection: DetectionProfileSelection): DetectionProfile[] => [
  ...new Set([selection.defaultProfile, ...selection.byInstitution.values()]),
];

const profileName = z.enum(DETECTION_PROFILE_NAMES);

/** "BANK-A:daily-batch,BANK-B:instant-payments" → institution id → profile name (empty string: none). */
const byInstitution = z
  .string()
  .default('')
  .transform((s) =>
    s
      .split(',')
      .map((pair) => pair.trim())
      .filter((pair) => pair.length > 0)
      .map((pair) => {
        const at = pair.lastIndexOf(':');
        return [pair.slice(0, at), pair.slice(at + 1)] as const;
      }),
  )
  .pipe(z.array(z.tuple([z.string().min(1), profileName])))
  .transform((pairs) => new Map<string, DetectionProfileName>(pairs));

/** Environment keys every detector's config spreads into its zod schema. */
export const detectionProfileEnvShape = {
  /** The profile for every feed not listed in DETECTION_PROFILE_BY_INSTITUTION. */
  DETECTION_PROFILE: profileName.default('instant-payments'),
  /** Per-institution override: "BANK-A:daily-batch,BANK-B:instant-payments". */
  DETECTION_PROFILE_BY_INSTITUTION: byInstitution,
};

/** The selection from the parsed environment keys of `detectionProfileEnvShape`. */
export const detectionProfileSelectionOf = (env: {
  readonly DETECTION_PROFILE: DetectionProfileName;
  readonly DETECTION_PROFILE_BY_INSTITUTION: ReadonlyMap<string, DetectionProfileName>;
}): DetectionProfileSelection => ({
  defaultProfile: DETECTION_PROFILES[env.DETECTION_PROFILE],
  byInstitution: new Map(
    [...env.DETECTION_PROFILE_BY_INSTITUTION].map(([institution, name]) => [
      institution,
      DETECTION_PROFILES[name],
    ]),
  ),
});
