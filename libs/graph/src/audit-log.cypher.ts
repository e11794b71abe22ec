/**
 * Append-only, hash-chained audit log: `(:AuditEntry {chainId, seq, prevHash, hash, ...})` and one
 * `(:AuditHead {chainId, seq, hash})` per chain.
 *
 * Appends are serialised on the head: the first statement of the write transaction takes the head's write lock
 * (SET) before reading its seq and hash, so a concurrent append from any API instance waits for this one to
 * commit and then chains onto it. The chain never forks, and `seq` has no gaps. One transaction appends a whole
 * batch (an instance's group commit), so the lock is taken once per batch, not once per request.
 */
export const LOCK_AUDIT_HEAD = `
MERGE (h:AuditHead {chainId: $chainId})
  ON CREATE SET h.seq = 0, h.hash = $genesisHash
SET h.lockedAt = datetime()
RETURN h.seq AS seq, h.hash AS hash
`;

/** Creates $entries after the head `h` (ordered by seq) and moves the head to the last of them. */
const APPEND_AFTER_HEAD = `
UNWIND $entries AS row
CREATE (e:AuditEntry {entryKey: $chainId + ':' + toString(row.seq), chainId: $chainId, seq: row.seq})
SET e += row.entry, e.prevHash = row.prevHash, e.hash = row.hash
WITH h, count(e) AS applied
SET h.seq = $lastSeq, h.hash = $lastHash
RETURN applied
`;

/**
 * Appends a batch of consecutive entries ($entries ordered by seq, the first one right after the head) and moves
 * the head to the last; applies nothing when the head moved since it was locked.
 */
export const APPEND_AUDIT_ENTRIES = `
MATCH (h:AuditHead {chainId: $chainId})
WHERE h.seq = $firstSeq - 1
${APPEND_AFTER_HEAD}`;

/**
 * The same append as one auto-commit statement, when the caller knows the head it expects (the head its own
 * last append left): the head's write lock is taken (SET) before its seq and hash are read (WITH), as Neo4j's
 * documented explicit-lock pattern, so a concurrent append from another instance is waited for and then seen.
 * Returns no row and writes nothing but the lock stamp when the head is not the expected one (another instance
 * appended since): the caller then appends under LOCK_AUDIT_HEAD. One round trip instead of three.
 */
export const APPEND_AUDIT_ENTRIES_AT_KNOWN_HEAD = `
MATCH (h:AuditHead {chainId: $chainId})
SET h.lockedAt = datetime()
WITH h, h.seq AS seq, h.hash AS hash
WHERE seq = $firstSeq - 1 AND hash = $prevHash
${APPEND_AFTER_HEAD}`;

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
