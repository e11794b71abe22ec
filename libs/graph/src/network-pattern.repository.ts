import { Inject, Injectable } from '@nestjs/common';
import neo4j, { isDateTime, isInt, type Driver } from 'neo4j-driver';
import type { MinorMoney } from '@scamflow/contracts';
import { FIND_CHAINS_AND_CYCLES, FIND_SHARED_IDENTIFIERS } from './network-patterns.cypher';
import { NEO4J_DATABASE, NEO4J_DRIVER } from './neo4j.module';

/** An account as the graph knows it (properties absent for accounts only seen by key). */
export interface GraphAccount {
  readonly accountKey: string;
  readonly accountId: string | null;
  readonly institutionId: string | null;
  readonly country: string | null;
  readonly kind: string | null;
}

export interface PatternHop {
  readonly transferId: string;
  readonly from: GraphAccount;
  readonly to: GraphAccount;
  /** ISO 8601 UTC. */
  readonly bookedAt: string;
  readonly amount: MinorMoney;
  /** In the deployment's reference currency's minor units; null without a rate. */
  readonly refAmountMinor: string | null;
}

export const PATTERN_KINDS = ['chain', 'cycle'] as const;
export type PatternKind = (typeof PATTERN_KINDS)[number];

/** A time-respecting path the committed transfer `triggerId` ends (a chain) or closes (a cycle). */
export interface FlowPattern {
  readonly triggerId: string;
  readonly kind: PatternKind;
  /** In booking order; the trigger is the last hop. */
  readonly hops: readonly PatternHop[];
}

export interface FlowPatternQuery {
  readonly maxDegree: number;
  /** Chains: longest time between one hop and the next. */
  readonly maxGapMs: number;
  /** Chains: least share of a hop's amount the next hop carries on (pre-filter; the detector decides). */
  readonly minKeptRatio: number;
  /** Chains and cycles: most a later hop may exceed an earlier one by (mule's own money topping up). */
  readonly maxGainRatio: number;
  /** Cycles: how far back before the closing transfer the cycle may start. */
  readonly cycleWindowMs: number;
  /** Cycles: least share of each earlier hop the closing transfer returns. */
  readonly minReturnedRatio: number;
  readonly maxPathsPerTransfer: number;
}

/** One identifier of an account, with the other accounts using it (none listed for hub identifiers). */
export interface IdentifierLink {
  readonly account: GraphAccount;
  readonly identifierKey: string;
  readonly identifierType: string;
  readonly firstSeenAt: string | null;
  readonly lastSeenAt: string | null;
  /** Accounts using the identifier, this one included. */
  readonly users: number;
  readonly sharers: readonly (GraphAccount & { firstSeenAt: string | null; lastSeenAt: string | null })[];
}

const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);
const num = (value: unknown): number => (isInt(value) ? value.toNumber() : Number(value));
const iso = (value: unknown): string | null =>
  isDateTime(value) ? value.toStandardDate().toISOString() : null;

const accountOf = (value: unknown): GraphAccount => {
  const v = (value ?? {}) as Record<string, unknown>;
  return {
    accountKey: String(v.accountKey),
    accountId: text(v.accountId),
    institutionId: text(v.institutionId),
    country: text(v.country),
    kind: text(v.kind),
  };
};

const hopOf = (value: unknown): PatternHop => {
  const v = value as Record<string, unknown>;
  return {
    transferId: String(v.transferId),
    from: accountOf(v.from),
    to: accountOf(v.to),
    bookedAt: iso(v.bookedAt) ?? '',
    amount: { amountMinor: String(v.amountMinor), currency: String(v.currency), scale: num(v.scale) },
    refAmountMinor: text(v.refAmountMinor),
  };
};

const seconds = (ms: number) => neo4j.int(Math.ceil(ms / 1000));

/** Read-only graph-pattern queries of the network detector. */
@Injectable()
export class NetworkPatternRepository {
  constructor(
    @Inject(NEO4J_DRIVER) private readonly driver: Driver,
    @Inject(NEO4J_DATABASE) private readonly database: string,
  ) {}

  /** Layering chains ending with, and cycles closed by, the given committed transfers (one query). */
  async findChainsAndCycles(transferIds: readonly string[], query: FlowPatternQuery): Promise<FlowPattern[]> {
    if (transferIds.length === 0) return [];
    const { records } = await this.driver.executeQuery(
      FIND_CHAINS_AND_CYCLES,
      {
        transferIds: [...new Set(transferIds)],
        maxDegree: neo4j.int(query.maxDegree),
        maxGapSeconds: seconds(query.maxGapMs),
        minKeptRatio: query.minKeptRatio,
        maxGainRatio: query.maxGainRatio,
        cycleWindowSeconds: seconds(query.cycleWindowMs),
        minReturnedRatio: query.minReturnedRatio,
        maxPathsPerTransfer: neo4j.int(query.maxPathsPerTransfer),
      },
      { database: this.database, routing: 'READ' },
    );
    return records.map((record) => ({
      triggerId: record.get('triggerId') as string,
      kind: record.get('kind') as PatternKind,
      hops: (record.get('hops') as unknown[]).map(hopOf),
    }));
  }

  /** The identifiers of each account and who else uses them; hub identifiers come without their accounts. */
  async findSharedIdentifiers(
    accountKeys: readonly string[],
    maxAccountsPerIdentifier: number,
  ): Promise<IdentifierLink[]> {
    if (accountKeys.length === 0) return [];
    const { records } = await this.driver.executeQuery(
      FIND_SHARED_IDENTIFIERS,
      {
        accountKeys: [...new Set(accountKeys)],
        maxAccountsPerIdentifier: neo4j.int(maxAccountsPerIdentifier),
      },
      { database: this.database, routing: 'READ' },
    );
    return records.map((record) => ({
      account: accountOf(record.get('account')),
      identifierKey: record.get('identifierKey') as string,
      identifierType: String(record.get('identifierType')),
      firstSeenAt: iso(record.get('firstSeenAt')),
      lastSeenAt: iso(record.get('lastSeenAt')),
      users: num(record.get('users')),
      sharers: (record.get('sharers') as unknown[]).map((s) => ({
        ...accountOf(s),
        firstSeenAt: iso((s as Record<string, unknown>).firstSeenAt),
        lastSeenAt: iso((s as Record<string, unknown>).lastSeenAt),
      })),
    }));
  }
}
