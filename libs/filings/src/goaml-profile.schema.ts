import { z } from 'zod';
import { ACCOUNT_KINDS, RAILS, TYPOLOGIES } from '@scamflow/contracts';

const TYPOLOGY_NAMES: ReadonlySet<string> = new Set(Object.values(TYPOLOGIES));
const Code = z.string().min(1).max(64);
const DecimalRate = z.string().regex(/^\d{1,18}(\.\d{1,18})?$/, 'must be a decimal string such as "35.12"');

/**
 * What one FIU's goAML instance expects: its lookup codes differ per FIU (goAML ships the lists empty), so
 * every code the export writes comes from here, never from the code. One JSON file per FIU under
 * `infra/goaml/profiles/`.
 */
export const GoamlProfileSchema = z.strictObject({
  /** Name of the profile, e.g. "AMLO-TH-DEMO". */
  name: z.string().min(1).max(64),
  /** Written as `schema_version` when set (some FIUs want it, 5.0.1 does not know it). */
  schemaVersion: z.string().min(1).max(16).optional(),
  /** The reporting entity id the FIU assigned. */
  rentityId: z.number().int().positive(),
  rentityBranch: z.string().min(1).max(255).optional(),
  submissionCode: z.enum(['E', 'M']),
  /** Report codes this FIU accepts for a report with transactions (STR) and one with an activity (SAR). */
  reportCodes: z.strictObject({ transactions: Code, activity: Code }),
  currencyCodeLocal: z.string().regex(/^[A-Z]{3}$/),
  reportingUserCode: Code,
  location: z.strictObject({
    addressType: Code,
    address: z.string().min(1).max(255),
    city: z.string().min(1).max(255),
    countryCode: z.string().regex(/^[A-Z]{2}$/),
  }),
  /** `transaction_location` when a transfer has no branch (online transfers). */
  transactionLocation: z.string().min(1).max(255),
  /** Funds-type lookup (`from_funds_code` / `to_funds_code`) per rail. */
  fundsCodes: z.strictObject(
    Object.fromEntries(RAILS.map((rail) => [rail, Code])) as Record<(typeof RAILS)[number], typeof Code>,
  ),
  /** Transmission-mode lookup (`transmode_code`) per rail. */
  transmodeCodes: z.strictObject(
    Object.fromEntries(RAILS.map((rail) => [rail, Code])) as Record<(typeof RAILS)[number], typeof Code>,
  ),
  /** Account-type lookup (`account_type`) per account kind. */
  accountTypes: z.strictObject(
    Object.fromEntries(ACCOUNT_KINDS.map((kind) => [kind, Code])) as Record<
      (typeof ACCOUNT_KINDS)[number],
      typeof Code
    >,
  ),
  /** Account-status lookup (`status_code`) of an account that is open as far as we know. */
  accountStatusCode: Code,
  /** FIU indicator codes per typology; `default` for any typology not listed. At least one is written. */
  indicators: z
    .record(z.string(), z.array(Code).min(1))
    .refine((map) => map.default !== undefined, { message: 'needs a "default" entry' })
    .refine((map) => Object.keys(map).every((key) => key === 'default' || TYPOLOGY_NAMES.has(key)), {
      message: 'keys must be typologies (libs/contracts TYPOLOGIES) or "default"',
    }),
  /**
   * Local-currency units per ONE unit of a foreign currency or asset, for `amount_local` and
   * `foreign_exchange_rate` (the FIU's published reporting rates). A foreign leg without a rate is refused.
   */
  exchangeRates: z.record(z.string().regex(/^[A-Z0-9]{2,12}$/), DecimalRate),
  /** Assets the FIU's currency list carries (e.g. USDT); other assets are reported as `otherAssetCurrencyCode`. */
  virtualAssets: z.strictObject({
    currencyCodes: z.array(z.string().regex(/^[A-Z0-9]{2,12}$/)),
    otherAssetCurrencyCode: z.string().regex(/^[A-Z0-9]{2,12}$/),
    selfHostedInstitutionName: z.string().min(1).max(255),
  }),
  /** Display names of institutions by id (BIC or VASP id); the id is written when a name is missing. */
  institutionNames: z.record(z.string(), z.string().min(1).max(255)).default({}),
});
export type GoamlProfile = z.infer<typeof GoamlProfileSchema>;

/**
 * Validates a parsed profile (the caller reads the file: this library does no I/O); the error names the
 * source and every problem.
 */
export const parseGoamlProfile = (json: unknown, source: string): GoamlProfile => {
  const parsed = GoamlProfileSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new Error(`goAML profile ${source} is invalid: ${problems.join('; ')}`);
  }
  return parsed.data;
};
