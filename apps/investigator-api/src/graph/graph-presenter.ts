import type { Response } from 'express';
import type { AccountProfileRecord, TraceCut, TracedAccount, TraceHop } from '@scamflow/graph';
import {
  edgesCsv,
  nodesCsv,
  shownMoney,
  toGraphml,
  type ExportFormat,
  type ShownMoney,
  type Subgraph,
} from '@scamflow/filings';
import { maskIdentifier } from '@scamflow/observability';
import type { Principal } from '../auth/principal';
import type { Role } from '@scamflow/contracts';
import { ProblemException, problemType } from '../http/problem';

/** Roles that see device, phone, IP and holder identifiers in clear; everyone else sees them masked. */
export const IDENTIFIER_ROLES: readonly Role[] = ['investigator', 'supervisor'];

export const mayReadAccount = (principal: Principal, institutionId: string | null): boolean =>
  principal.role !== 'bank' || (institutionId !== null && institutionId === principal.institutionId);

export interface HopView {
  readonly depth: number;
  readonly id: string;
  readonly transferId: string;
  readonly from: string;
  readonly to: string;
  readonly bookedAt: string;
  readonly amount: ShownMoney;
}

export const hopView = (hop: TraceHop): HopView => ({
  depth: hop.depth,
  id: hop.transferId,
  transferId: hop.transferId,
  from: hop.fromKey,
  to: hop.toKey,
  bookedAt: hop.bookedAt,
  amount: shownMoney(hop.amount),
});

export const subgraphOf = (
  accounts: readonly TracedAccount[],
  hops: readonly TraceHop[],
  roles: ReadonlyMap<string, readonly string[]> = new Map(),
): Subgraph => ({
  nodes: accounts.map((a) => ({
    id: a.accountKey,
    accountKey: a.accountKey,
    kind: a.kind,
    institutionId: a.institutionId,
    country: a.country,
    roles: roles.get(a.accountKey) ?? [],
  })),
  edges: hops.map((h) => {
    const { depth: _depth, ...edge } = hopView(h);
    return edge;
  }),
});

/** A cut in words, so the response says where the bound stopped the trace. */
export const cutView = (cut: TraceCut) => {
  switch (cut.kind) {
    case 'fan-out':
      return {
        ...cut,
        detail: `only the ${cut.followed} largest transfers of ${cut.accountKey} at hop ${cut.depth} followed`,
      };
    case 'hub':
      return {
        ...cut,
        detail: `${cut.accountKey} has ${cut.degree} transfers (a hub): reached at hop ${cut.depth}, not expanded`,
      };
    case 'accounts-per-hop':
      return {
        ...cut,
        detail: `${cut.reached} accounts reached at hop ${cut.depth}; the ${cut.expanded} reached first were expanded`,
      };
    case 'max-transfers':
      return {
        ...cut,
        detail: `stopped at ${cut.returned} transfers (limit maxTransfers) after hop ${cut.depth}`,
      };
  }
};

export const encodeCursor = (offset: number): string =>
  Buffer.from(JSON.stringify({ o: offset })).toString('base64url');

export const decodeCursor = (cursor: string | undefined): number => {
  if (cursor === undefined) return 0;
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { o?: unknown };
    if (typeof parsed.o === 'number' && Number.isInteger(parsed.o) && parsed.o >= 0) return parsed.o;
  } catch {
    // Falls through to the 400 below.
  }
  throw new ProblemException(400, 'Invalid request', 'cursor is not one this API returned', {
    type: problemType('validation'),
    errors: [{ path: 'query.cursor', message: 'must be a cursor returned by the previous page' }],
  });
};

/** Page size against the deployment's limit: past it, a 400 naming the limit. */
export const pageSizeOf = (limit: number | undefined, defaults: { default: number; max: number }): number => {
  if (limit === undefined) return defaults.default;
  if (limit > defaults.max) {
    throw new ProblemException(400, 'Invalid request', `page size is limited to ${defaults.max}`, {
      type: problemType('limit'),
      limit: { name: 'limit', max: defaults.max },
      errors: [{ path: 'query.limit', message: `is limited to ${defaults.max} (limit pageSize)` }],
    });
  }
  return limit;
};

/**
 * A subgraph in the asked format: CSV one part per request (`part=nodes|edges`, so each is a plain file a
 * spreadsheet or Gephi's importer opens), GraphML for Gephi and yEd. Sets the content type and attachment name
 * and returns the body for the controller to return (never sends it itself: the audit interceptor must append
 * its entry before the data leaves). Returns undefined for JSON, which the controller returns itself (with
 * paging and metadata).
 */
export const exportBody = (
  response: Response,
  graph: Subgraph,
  format: ExportFormat,
  part: 'nodes' | 'edges' | undefined,
  baseName: string,
): string | undefined => {
  const safeName = baseName.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 120);
  if (format === 'csv') {
    const which = part ?? 'edges';
    response.type('text/csv; charset=utf-8').attachment(`${safeName}-${which}.csv`);
    return which === 'nodes' ? nodesCsv(graph) : edgesCsv(graph);
  }
  if (format === 'graphml') {
    response.type('application/graphml+xml; charset=utf-8').attachment(`${safeName}.graphml`);
    return toGraphml(graph);
  }
  return undefined;
};

/** The profile as a role may see it: identifiers and the holder pseudonym masked unless the role may see them. */
export const profileView = (profile: AccountProfileRecord, principal: Principal) => {
  const clear = IDENTIFIER_ROLES.includes(principal.role);
  return {
    accountKey: profile.accountKey,
    accountId: profile.accountId,
    institutionId: profile.institutionId,
    country: profile.country,
    kind: profile.kind,
    accountType: profile.accountType,
    openedAt: profile.openedAt,
    closedAt: profile.closedAt,
    firstSeenAt: profile.firstSeenAt,
    lastSeenAt: profile.lastSeenAt,
    holderId:
      profile.holderId === null
        ? null
        : clear
          ? profile.holderId
          : maskIdentifier(`holder:${profile.holderId}`),
    identifiersMasked: !clear,
    identifiers: profile.identifiers.map((i) => ({
      type: i.type,
      identifier: clear ? i.identifierKey : maskIdentifier(i.identifierKey),
      firstSeenAt: i.firstSeenAt,
      lastSeenAt: i.lastSeenAt,
      sharedWithAccounts: i.sharedWith,
    })),
    totals: {
      in: profile.totalsIn.perCurrency.map(shownMoney),
      out: profile.totalsOut.perCurrency.map(shownMoney),
      transfersIn: profile.totalsIn.transfers,
      transfersOut: profile.totalsOut.transfers,
      /** Totals and counterparties are over the latest transfers scanned; complete when all were. */
      scannedIn: profile.totalsIn.scanned,
      scannedOut: profile.totalsOut.scanned,
      complete: profile.counterparties.complete,
    },
    counterparties: profile.counterparties,
  };
};
