import { z } from 'zod';
import { CountryCodeSchema, IdentifierSchema, TimestampSchema } from './primitives.schema';

export const ACCOUNT_TYPES = [
  'personal',
  'business',
  'merchant',
  'payroll',
  'remittance',
  'exchange',
  'other',
] as const;
export type AccountType = (typeof ACCOUNT_TYPES)[number];

export const IDENTIFIER_TYPES = ['device', 'phone', 'ip', 'holder'] as const;
export type IdentifierType = (typeof IDENTIFIER_TYPES)[number];

/** Raw values a producer must not send: they identify a person directly. */
const RAW_PHONE = /^\+?\d{6,15}$/;
const looksRaw = (value: string): boolean =>
  RAW_PHONE.test(value) || z.ipv4().safeParse(value).success || z.ipv6().safeParse(value).success;

/** What every fact carries: who observed what, about which account, and when. */
const factEnvelope = {
  schemaVersion: z.literal(1),
  /** Unique per producer: a replayed or duplicated fact carries the same id. */
  factId: IdentifierSchema,
  reportedBy: IdentifierSchema,
  observedAt: TimestampSchema,
  accountId: IdentifierSchema,
  /** Bank (BIC or national code) or VASP holding the account; with accountId it identifies the account. */
  institutionId: IdentifierSchema,
  country: CountryCodeSchema,
};

export const AccountOpenedSchema = z.strictObject({
  kind: z.literal('account-opened'),
  ...factEnvelope,
  openedAt: TimestampSchema,
  accountType: z.enum(ACCOUNT_TYPES),
  /** Pseudonymised holder id assigned by the institution; never a name or national id. */
  holderId: IdentifierSchema.optional(),
});
export type AccountOpened = z.infer<typeof AccountOpenedSchema>;

export const AccountClosedSchema = z.strictObject({
  kind: z.literal('account-closed'),
  ...factEnvelope,
  closedAt: TimestampSchema,
});
export type AccountClosed = z.infer<typeof AccountClosedSchema>;

export const IdentifierSeenSchema = z
  .strictObject({
    kind: z.literal('identifier-seen'),
    ...factEnvelope,
    identifierType: z.enum(IDENTIFIER_TYPES),
    /**
     * Pseudonymised with the scheme all producers share (a keyed hash), so the same device, phone, IP or
     * holder gives the same value at every institution. Raw phone numbers and IP addresses are refused.
     */
    identifierValue: IdentifierSchema,
    seenAt: TimestampSchema,
  })
  .refine((fact) => !looksRaw(fact.identifierValue), {
    path: ['identifierValue'],
    message: 'must be pseudonymised, not a raw phone number or IP address',
  });
export type IdentifierSeen = z.infer<typeof IdentifierSeenSchema>;

/**
 * A fact about an account (topic `account.fact.observed.v1`, JSON, key = account id): opened, closed, or an
 * identifier (device, phone, IP, holder) seen on it. Facts may arrive before the account's transfers and out
 * of order; `factId` + `reportedBy` identify a fact, so replays change nothing.
 */
export const AccountFactObservedSchema = z.discriminatedUnion('kind', [
  AccountOpenedSchema,
  AccountClosedSchema,
  IdentifierSeenSchema,
]);
export type AccountFactObserved = z.infer<typeof AccountFactObservedSchema>;
