/** Test-side reads (and one deliberate tampering) of what the API stores in Neo4j; used by `StoreProbe` only. */
export const ALERT_VERSIONS = `
MATCH (:Alert {alertId: $alertId})-[:HAS_VERSION]->(v:AlertVersion)
RETURN v.version AS version ORDER BY version
`;

export const ALERTS_WITH_PREFIX = `
MATCH (a:Alert) WHERE a.alertId STARTS WITH $prefix
OPTIONAL MATCH (a)-[:HAD_TRANSITION]->(t)
RETURN a.alertId AS alertId, a.state AS state, count(t) AS transitions ORDER BY alertId
`;

export const AUDIT_ENTRIES = `
MATCH (e:AuditEntry {chainId: $chainId})
RETURN e.seq AS seq, e.route AS route, e.status AS status, e.sub AS sub ORDER BY seq
`;

export const TAMPER_AUDIT_ENTRY_STATUS = `
MATCH (e:AuditEntry {chainId: $chainId, seq: $seq})
SET e.status = $status
`;

/** An alert as recorded before the inbox kept list fields beside its JSON. */
export const FORGET_ALERT_LIST_FIELDS = `
MATCH (a:Alert {alertId: $alertId})
REMOVE a.listJson
`;

export const ALERT_HAS_LIST_FIELDS = `
MATCH (a:Alert {alertId: $alertId})
RETURN a.listJson IS NOT NULL AS kept
`;
