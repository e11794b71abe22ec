import { z } from 'zod';
import {
  CountryCodeSchema,
  CurrencyCodeSchema,
  DecimalAmountSchema,
  IdentifierSchema,
  TimestampSchema,
} from './primitives.schema';

/**
 * How an XML document becomes the plain object these schemas read: namespace prefixes removed, attributes as
 * `@Name` properties, an element with attributes keeps its text under `#text`, all values left as strings.
 */
export const XML_OBJECT_SHAPE = { attributePrefix: '@', textNode: '#text' } as const;

/**
 * An element that may occur more than once is one object when it occurs once and an array otherwise; both are
 * read as an array, so an issue is reported at its index.
 */
const oneOrMany = <T extends z.ZodType>(item: T) =>
  z.preprocess(
    (value) => (Array.isArray(value) || value === undefined ? value : [value]),
    z.array(item).min(1),
  );

/** ISO 9362 BIC: 4 bank code, 2 country (ISO 3166), 2 location, optional 3 branch. */
export const BicSchema = z
  .string()
  .regex(/^[A-Z0-9]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?$/, 'must be a BIC such as "KASITHBK"');

export const Pacs008AgentSchema = z.object({
  FinInstnId: z
    .object({
      BICFI: BicSchema.optional(),
      ClrSysMmbId: z.object({ MmbId: IdentifierSchema }).optional(),
    })
    .refine((id) => id.BICFI !== undefined || id.ClrSysMmbId !== undefined, {
      message: 'needs BICFI or ClrSysMmbId/MmbId',
    }),
});
export type Pacs008Agent = z.infer<typeof Pacs008AgentSchema>;

/** `Nm` is read only so that its shape is checked: names are personal data and never leave the gateway. */
export const Pacs008PartySchema = z.object({
  Nm: z.string().max(140).optional(),
  PstlAdr: z.object({ Ctry: CountryCodeSchema.optional() }).optional(),
});
export type Pacs008Party = z.infer<typeof Pacs008PartySchema>;

export const Pacs008AccountSchema = z.object({
  Id: z
    .object({
      IBAN: z
        .string()
        .regex(/^[A-Z]{2}[0-9]{2}[A-Z0-9]{1,30}$/, 'must be an IBAN such as "DE89370400440532013000"')
        .optional(),
      Othr: z.object({ Id: IdentifierSchema }).optional(),
    })
    .refine((id) => (id.IBAN === undefined) !== (id.Othr === undefined), {
      message: 'needs exactly one of IBAN or Othr/Id',
    }),
});
export type Pacs008Account = z.infer<typeof Pacs008AccountSchema>;

/** One `CdtTrfTxInf`: one customer credit transfer. Elements this pipeline does not use are ignored. */
export const Pacs008TransactionSchema = z.object({
  PmtId: z.object({
    InstrId: IdentifierSchema.optional(),
    EndToEndId: IdentifierSchema,
    TxId: IdentifierSchema.optional(),
    UETR: z.uuid().optional(),
  }),
  IntrBkSttlmAmt: z.object({ '#text': DecimalAmountSchema, '@Ccy': CurrencyCodeSchema }),
  IntrBkSttlmDt: z.iso.date().optional(),
  AccptncDtTm: TimestampSchema.optional(),
  InstgAgt: Pacs008AgentSchema.optional(),
  Dbtr: Pacs008PartySchema,
  // Optional in the ISO message, required here: a transfer without accounts cannot be traced.
  DbtrAcct: Pacs008AccountSchema,
  DbtrAgt: Pacs008AgentSchema,
  Cdtr: Pacs008PartySchema,
  CdtrAcct: Pacs008AccountSchema,
  CdtrAgt: Pacs008AgentSchema,
});
export type Pacs008Transaction = z.infer<typeof Pacs008TransactionSchema>;

/**
 * ISO 20022 pacs.008 FI-to-FI customer credit transfer (topic `bank.pacs008.received.v1`, XML), as the plain
 * object described by {@link XML_OBJECT_SHAPE}. Objects are not strict: the ISO message has hundreds of optional
 * elements (charges, remittance, regulatory reporting) that are valid and simply not read. The root is strict, so
 * a second root element or another message type is refused.
 */
export const Pacs008DocumentSchema = z.strictObject({
  Document: z.strictObject({
    FIToFICstmrCdtTrf: z.object({
      GrpHdr: z.object({
        MsgId: IdentifierSchema,
        CreDtTm: TimestampSchema,
        NbOfTxs: z
          .string()
          .regex(/^[0-9]{1,15}$/, 'must be a number of transactions')
          .optional(),
        InstgAgt: Pacs008AgentSchema.optional(),
      }),
      CdtTrfTxInf: oneOrMany(Pacs008TransactionSchema),
    }),
  }),
});
export type Pacs008Document = z.infer<typeof Pacs008DocumentSchema>;
