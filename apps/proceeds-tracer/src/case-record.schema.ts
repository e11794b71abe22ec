import { z } from 'zod';
import type { ProceedsAccount } from '@scamflow/graph';
import { SPLITTING_RULES, type SplittingRule } from '@scamflow/tracing';
import type { JournalEffect } from './carry-case-taint';
import {
  completeFindings,
  type CaseFindings,
  type CaseHolder,
  type CaseHop,
  type PerRule,
} from './case-findings';

const Minor = z.string().regex(/^\d+$/);
const PerRuleSchema = z.object({
  fifo: Minor,
  haircut: Minor,
  'fifo-libr': Minor,
  'haircut-libr': Minor,
});
const AccountSchema = z.object({
  accountKey: z.string(),
  accountId: z.string(),
  institutionId: z.string(),
  country: z.string(),
  kind: z.enum(['bank-account', 'vasp-account', 'wallet']),
});

/**
 * What the tracer keeps per case between transfers (Redis, beside the per-account states): the case's findings
 * as of the last transfer applied, plus what the bounds did. Parsed with zod on every read.
 */
export const CaseRecordSchema = z.object({
  caseId: z.string(),
  caseVersion: z.number().int(),
  reportedAt: z.string(),
  victims: z.array(AccountSchema),
  unit: z.object({ currency: z.string(), scale: z.number().int(), basis: z.enum(['asset', 'reference']) }),
  seeded: Minor,
  seedTransferIds: z.array(z.string()),
  unmatchedPayments: z.number().int().min(0),
  untraceable: z.array(z.object({ transferId: z.string(), reason: z.string() })),
  terminalHubs: z.array(z.tuple([z.string(), z.number().int()])),
  truncated: z.boolean(),
  accounts: z.array(AccountSchema),
  hops: z.array(
    z.object({
      transferId: z.string(),
      fromKey: z.string(),
      toKey: z.string(),
      atMs: z.number(),
      amount: Minor,
      tainted: PerRuleSchema,
    }),
  ),
  holders: z.array(
    z.object({
      accountKey: z.string(),
      held: PerRuleSchema,
      poisonUpperBound: Minor,
      librApplied: z.boolean(),
    }),
  ),
  /** Time of the first seed and the horizon: transfers after `untilMs` are not followed. */
  startMs: z.number(),
  untilMs: z.number(),
  dissipated: z.object({ 'fifo-libr': Minor, 'haircut-libr': Minor }),
  /** Left the state by a bound: accounts holding less than the follow share, cases evicted from a full account. */
  pruned: PerRuleSchema,
  /** Smallest hops dropped from the stored ledger (bounded). */
  hopsOmitted: z.number().int().min(0),
  /** Transfers carried forward from the state since the case was last traced from the graph. */
  carried: z.number().int().min(0).default(0),
});
export type CaseRecord = z.infer<typeof CaseRecordSchema>;

/** A journal entry's effect on the record (`JournalEffect`), as stored. */
const JournalEffectSchema = z.object({
  h: z.boolean(),
  c: z.boolean(),
  d: z.tuple([Minor, Minor]),
  p: PerRuleSchema,
  u: z.array(z.tuple([z.string(), z.string()])),
});

export const effectText = (effect: JournalEffect): z.infer<typeof JournalEffectSchema> => ({
  h: effect.hop,
  c: effect.carried,
  d: [effect.dissipated['fifo-libr'].toString(), effect.dissipated['haircut-libr'].toString()],
  p: perRuleText(effect.pruned),
  u: effect.untraceable.map((u) => [u.transferId, u.reason]),
});

/** The effect as stored, or undefined when it does not parse. */
export const effectOf = (stored: unknown): JournalEffect | undefined => {
  const parsed = JournalEffectSchema.safeParse(stored);
  if (!parsed.success) return undefined;
  const e = parsed.data;
  return {
    hop: e.h,
    carried: e.c,
    dissipated: { 'fifo-libr': BigInt(e.d[0]), 'haircut-libr': BigInt(e.d[1]) },
    pruned: perRuleOf(e.p),
    untraceable: e.u.map(([transferId, reason]) => ({ transferId, reason })),
  };
};

export const perRuleText = (amounts: PerRule): z.infer<typeof PerRuleSchema> => ({
  fifo: amounts.fifo.toString(),
  haircut: amounts.haircut.toString(),
  'fifo-libr': amounts['fifo-libr'].toString(),
  'haircut-libr': amounts['haircut-libr'].toString(),
});

export const perRuleOf = (text: z.infer<typeof PerRuleSchema>): PerRule =>
  Object.fromEntries(SPLITTING_RULES.map((rule) => [rule, BigInt(text[rule])])) as Record<
    SplittingRule,
    bigint
  >;

export const hopText = (hop: CaseHop): CaseRecord['hops'][number] => ({
  transferId: hop.transferId,
  fromKey: hop.fromKey,
  toKey: hop.toKey,
  atMs: hop.atMs,
  amount: hop.amount.toString(),
  tainted: perRuleText(hop.tainted),
});

export const holderText = (holder: CaseHolder): CaseRecord['holders'][number] => ({
  accountKey: holder.accountKey,
  held: perRuleText(holder.held),
  poisonUpperBound: holder.poisonUpperBound.toString(),
  librApplied: holder.librApplied,
});

/** The record of a freshly traced case (its backfill). */
export const recordOfFindings = (
  findings: CaseFindings,
  extra: {
    startMs: number;
    untilMs: number;
    dissipated: { 'fifo-libr': bigint; 'haircut-libr': bigint };
    pruned: PerRule;
  },
): CaseRecord => {
  const keys = new Set<string>(findings.holders.map((h) => h.accountKey));
  for (const hop of findings.hops) keys.add(hop.fromKey).add(hop.toKey);
  const accounts: ProceedsAccount[] = [...keys].flatMap((k) => findings.accounts.get(k) ?? []);
  return {
    caseId: findings.caseId,
    caseVersion: findings.caseVersion,
    reportedAt: findings.reportedAt,
    victims: [...findings.victims],
    unit: { ...findings.unit },
    seeded: findings.seeded.toString(),
    seedTransferIds: [...findings.seedTransferIds],
    unmatchedPayments: findings.unmatchedPayments,
    untraceable: [...findings.untraceable],
    terminalHubs: [...findings.terminalHubs],
    truncated: findings.truncated,
    accounts,
    hops: findings.hops.map(hopText),
    holders: findings.holders.map(holderText),
    startMs: extra.startMs,
    untilMs: extra.untilMs,
    dissipated: {
      'fifo-libr': extra.dissipated['fifo-libr'].toString(),
      'haircut-libr': extra.dissipated['haircut-libr'].toString(),
    },
    pruned: perRuleText(extra.pruned),
    hopsOmitted: 0,
    carried: 0,
  };
};

/** The findings an alert is built from, as the record states them. */
export const findingsOfRecord = (record: CaseRecord): CaseFindings => {
  const hops: CaseHop[] = record.hops.map((h) => ({
    transferId: h.transferId,
    fromKey: h.fromKey,
    toKey: h.toKey,
    atMs: h.atMs,
    amount: BigInt(h.amount),
    tainted: perRuleOf(h.tainted),
  }));
  const accounts = new Map<string, ProceedsAccount>(
    [...record.victims, ...record.accounts].map((a) => [a.accountKey, a]),
  );
  return completeFindings(
    {
      caseId: record.caseId,
      caseVersion: record.caseVersion,
      reportedAt: record.reportedAt,
      victims: record.victims,
      unit: record.unit,
      seeded: BigInt(record.seeded),
      seedTransferIds: record.seedTransferIds,
      accounts,
      hops,
      unmatchedPayments: record.unmatchedPayments,
      holders: record.holders.map((h) => ({
        accountKey: h.accountKey,
        held: perRuleOf(h.held),
        poisonUpperBound: BigInt(h.poisonUpperBound),
        librApplied: h.librApplied,
      })),
      terminalHubs: new Map(record.terminalHubs),
      untraceable: record.untraceable,
      truncated: record.truncated,
    },
    hops,
  );
};
