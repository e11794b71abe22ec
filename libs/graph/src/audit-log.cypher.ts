/**
 * Append-only, hash-chained audit log: `(:AuditEntry {chainId, seq, prevHash, hash, ...})` and one
 * `(:AuditHead {chainId, seq, hash})` per chain.
 *
 * Appends are serialised on the head: the first statement of the write transaction takes the head's write lock
 * (SET) before reading its seq and hash, so a concurrent append from any API instance waits for this one to
 * commit and then chains onto it. The chain never forks, and `seq` has no gaps.
 */
export const LOCK_AUDIT_HEAD = `
MERGE (h:AuditHead {chainId: $chainId})
  ON CREATE SET h.seq = 0, h.hash = $genesisHash
SET h.lockedAt = datetime()
RETURN h.seq AS seq, h.hash AS hash
`;

export const APPEND_AUDIT_ENTRY = `
MATCH (h:AuditHead {chainId: $chainId})
WHERE h.seq = $seq - 1
CREATE (e:AuditEntry {entryKey: $chainId + ':' + toString($seq), chainId: $chainId, seq: $seq})
SET e += $entry, e.prevHash = $prevHash, e.hash = $hash
SET h.seq = $seq, h.hash = $hash
RETURN count(e) AS applied
`;

/** Newest first, keyset-paged on seq. */
export const LIST_AUDIT_ENTRIES = `
MATCH (e:AuditEntry {chainId: $chainId})
WHERE ($beforeSeq IS NULL OR e.seq < $beforeSeq)
  AND ($sub IS NULL OR e.sub = $sub)
  AND ($from IS NULL OR e.at >= $from)
  AND ($to IS NULL OR e.at < $to)
RETURN e {.*} AS entry
ORDER BY e.seq DESC
LIMIT $limit
`;

/** Oldest first, for verification, in pages. */
export const READ_AUDIT_CHAIN = `
MATCH (e:AuditEntry {chainId: $chainId})
WHERE e.seq > $afterSeq
RETURN e {.*} AS entry
ORDER BY e.seq ASC
LIMIT $limit
`;

export const READ_AUDIT_HEAD = `
MATCH (h:AuditHead {chainId: $chainId})
RETURN h.seq AS seq, h.hash AS hash
`;
