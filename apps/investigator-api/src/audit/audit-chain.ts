import { createHash } from 'node:crypto';
import type { AuditContent, AuditEntryRecord } from '@scamflow/graph';

/** prevHash of the first entry of every chain. */
export const GENESIS_HASH = '0'.repeat(64);

/** JSON with object keys sorted at every depth: the same entry always hashes the same. */
export const canonicalJson = (value: unknown): string => {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
};

const contentOf = (entry: AuditContent): AuditContent => ({
  at: entry.at,
  sub: entry.sub,
  role: entry.role,
  institutionId: entry.institutionId,
  method: entry.method,
  route: entry.route,
  params: entry.params,
  status: entry.status,
  accounts: [...entry.accounts],
  alerts: [...entry.alerts],
  cases: [...entry.cases],
});

/** SHA-256 over the canonical JSON of the entry (chain, seq, content) and the previous entry's hash. */
export const sealAuditEntry = (
  link: { chainId: string; seq: number; prevHash: string },
  content: AuditContent,
): string =>
  createHash('sha256')
    .update(
      canonicalJson({ ...contentOf(content), chainId: link.chainId, seq: link.seq, prevHash: link.prevHash }),
    )
    .digest('hex');

export interface ChainBreak {
  readonly seq: number;
  readonly reason: string;
}

/**
 * Checks entries (oldest first, continuing after `previous`) against each other: seq without gaps, each
 * prevHash the hash before it, each hash recomputed from the stored content. The first break, if any.
 */
export const findChainBreak = (
  entries: readonly AuditEntryRecord[],
  previous: { seq: number; hash: string } = { seq: 0, hash: GENESIS_HASH },
): ChainBreak | undefined => {
  let last = previous;
  for (const entry of entries) {
    if (entry.seq !== last.seq + 1) {
      return {
        seq: last.seq + 1,
        reason: `entry ${last.seq + 1} is missing (next stored entry is ${entry.seq})`,
      };
    }
    if (entry.prevHash !== last.hash) {
      return { seq: entry.seq, reason: `prevHash does not match the hash of entry ${last.seq}` };
    }
    const recomputed = sealAuditEntry(
      { chainId: entry.chainId, seq: entry.seq, prevHash: entry.prevHash },
      entry,
    );
    if (recomputed !== entry.hash) {
      return { seq: entry.seq, reason: 'content does not match its hash (the entry was altered)' };
    }
    last = { seq: entry.seq, hash: entry.hash };
  }
  return undefined;
};
