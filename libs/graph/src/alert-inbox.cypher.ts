/**
 * The investigator API's alert inbox (`detection.alert.raised.v1` kept durably):
 *
 *   (:Alert {alertId, latestVersion, state, ...})-[:HAS_VERSION]->(:AlertVersion {versionKey, version, json, streamSeq})
 *   (:Alert)-[:INVOLVES {role}]->(:Account)        accounts of the latest version
 *   (:Alert)-[:CONCERNS]->(:VictimReport {caseId})  cases the latest version traces (when the case is in the graph)
 *   (:Alert)-[:TAGGED]->(:AlertKey {key})           `case:<id>`, `institution:<id>`, `country:<cc>` of the latest
 *                                                   version: the inbox's selective filters start from these
 *   (:Alert)-[:HAD_TRANSITION]->(:AlertTransition {seq, from, to, by, role, at, ...})
 *   (:AlertInboxCounter {id: 'alert-inbox', seq})   stream sequence (`id:` of GET /alerts/stream events)
 *   (:AlertInboxCounter {id: 'state:<state>', count}) the unfiltered inbox's counts per state, kept by the writes
 *
 * Every version is kept (history survives API and Redis restarts); the Alert node mirrors the highest version only,
 * so a version arriving late is recorded in the history without overwriting a newer one. A replayed version
 * (same alertId and version) changes nothing.
 */

/** Locks the stream counter (first statement of the write transaction) so stream ids are gap-free and ordered. */
export const LOCK_ALERT_INBOX_COUNTER = `
MERGE (c:AlertInboxCounter {id: 'alert-inbox'})
  ON CREATE SET c.seq = 0
SET c.lockedAt = datetime()
RETURN c.seq AS seq
`;

export const EXISTING_ALERT_VERSIONS = `
UNWIND $versionKeys AS versionKey
MATCH (v:AlertVersion {versionKey: versionKey})
RETURN versionKey
`;

export const EXISTING_ALERTS = `
UNWIND $alertIds AS alertId
MATCH (a:Alert {alertId: alertId})
RETURN alertId
`;

/** New versions only (the repository filters replays out under the counter lock). */
export const RECORD_ALERT_VERSIONS = `
UNWIND $rows AS row
MERGE (a:Alert {alertId: row.alertId})
  ON CREATE SET a.latestVersion = 0, a.state = 'new', a.receivedAt = row.receivedAt, a.transitionCount = 0
CREATE (v:AlertVersion {versionKey: row.versionKey})
SET v.alertId = row.alertId, v.version = row.version, v.json = row.json, v.raisedAt = row.raisedAt,
    v.receivedAt = row.receivedAt, v.streamSeq = row.streamSeq, v.typology = row.typology,
    v.severity = row.severity, v.institutions = row.institutions, v.jurisdictions = row.jurisdictions,
    v.caseIds = row.caseIds, v.accountKeys = row.accountKeys
MERGE (a)-[:HAS_VERSION]->(v)
WITH a, v, row
WHERE a.latestVersion < row.version
SET a.latestVersion = row.version, a.json = row.json, a.listJson = row.listJson, a.typology = row.typology,
    a.severity = row.severity,
    a.severityRank = row.severityRank, a.score = row.score, a.detectorStatus = row.detectorStatus,
    a.subjectKey = row.subjectKey, a.institutions = row.institutions, a.jurisdictions = row.jurisdictions,
    a.caseIds = row.caseIds, a.accountKeys = row.accountKeys, a.raisedAt = row.raisedAt,
    a.firstSeenAt = row.firstSeenAt, a.lastSeenAt = row.lastSeenAt, a.updatedAt = row.receivedAt,
    a.streamSeq = row.streamSeq
WITH a, row
CALL (a, row) {
  MATCH (a)-[old:INVOLVES|CONCERNS|TAGGED]->()
  DELETE old
}
WITH a, row
CALL (a, row) {
  UNWIND row.tags AS tag
  MERGE (k:AlertKey {key: tag})
  MERGE (a)-[:TAGGED]->(k)
}
WITH a, row
CALL (a, row) {
  UNWIND row.involved AS inv
  MERGE (acc:Account {accountKey: inv.accountKey})
    ON CREATE SET acc.accountId = inv.accountId, acc.institutionId = inv.institutionId, acc.country = inv.country
  MERGE (a)-[r:INVOLVES]->(acc)
  SET r.role = inv.role
}
WITH a, row
CALL (a, row) {
  UNWIND row.caseIds AS caseId
  MATCH (r:VictimReport {caseId: caseId})
  MERGE (a)-[:CONCERNS]->(r)
}
RETURN count(a) AS applied
`;

/** Advances the stream sequence. */
export const SET_ALERT_INBOX_COUNTER = `
MATCH (c:AlertInboxCounter {id: 'alert-inbox'})
SET c.seq = $seq
`;

/** Counts the alerts a batch created (they start in state `new`), once the inbox has been counted. */
export const COUNT_NEW_ALERTS = `
MATCH (n:AlertInboxCounter {id: 'state:new'})
SET n.count = n.count + $created
`;

export const INBOX_STATE_NAMES = ['new', 'acknowledged', 'assigned', 'escalated', 'closed'] as const;

/**
 * Counts per state of the whole inbox: one `(:AlertInboxCounter {id: 'state:<state>'})` node per state, so a
 * transition locks the alert and then two count nodes (never the stream counter, which the consumer locks before
 * the alerts: the opposite order would deadlock). `countedAt` on the stream counter says they exist.
 */
export const READ_INBOX_STATE_COUNTS = `
OPTIONAL MATCH (c:AlertInboxCounter {id: 'alert-inbox'})
OPTIONAL MATCH (n:AlertInboxCounter) WHERE n.id IN $ids
RETURN c.countedAt AS countedAt, collect([n.id, n.count]) AS counts
`;

/** Counts every state once (an inbox that predates the counts), holding the stream counter's lock. */
export const RECOUNT_INBOX_STATES = `
MERGE (c:AlertInboxCounter {id: 'alert-inbox'})
  ON CREATE SET c.seq = 0
SET c.lockedAt = datetime()
WITH c
UNWIND $states AS state
CALL (state) {
  OPTIONAL MATCH (a:Alert {state: state})
  RETURN count(a) AS alerts
}
MERGE (n:AlertInboxCounter {id: 'state:' + state})
SET n.count = alerts
WITH DISTINCT c
SET c.countedAt = datetime()
`;

export interface AlertQueryShape {
  /** Tag keys (`case:..`, `institution:..`, `country:..`) as $tag0, $tag1, ...: the first one starts the match. */
  readonly tags: number;
  readonly accountKey: boolean;
  readonly states: boolean;
  readonly typologies: boolean;
  readonly severities: boolean;
  readonly from: boolean;
  readonly to: boolean;
}

const SORT_FLOOR: Readonly<Record<string, string>> = { raisedAt: "''", severityRank: '0', score: '0.0' };

/** The MATCH and WHERE of the inbox's filters, with only the predicates in use (so indexes can serve them). */
const alertMatch = (shape: AlertQueryShape, sortKey: string, withStates: boolean): string => {
  const start = shape.accountKey
    ? 'MATCH (:Account {accountKey: $accountKey})<-[:INVOLVES]-(a:Alert)'
    : shape.tags > 0
      ? 'MATCH (:AlertKey {key: $tag0})<-[:TAGGED]-(a:Alert)'
      : 'MATCH (a:Alert)';
  const where = [
    // A range on the sort key lets an index both find and order the alerts.
    `a.${sortKey} >= ${SORT_FLOOR[sortKey] ?? "''"}`,
    ...Array.from({ length: shape.tags }, (_, i) =>
      i === 0 && !shape.accountKey ? '' : `EXISTS { (a)-[:TAGGED]->(:AlertKey {key: $tag${i}}) }`,
    ),
    withStates && shape.states ? 'a.state IN $states' : '',
    shape.typologies ? 'a.typology IN $typologies' : '',
    shape.severities ? 'a.severity IN $severities' : '',
    shape.from ? 'a.raisedAt >= $from' : '',
    shape.to ? 'a.raisedAt < $to' : '',
  ].filter((p) => p.length > 0);
  return `${start}\nWHERE ${where.join('\n  AND ')}`;
};

/**
 * What a page of the inbox returns per alert: `full`, every property (the whole alert's JSON among them);
 * `summary`, the lifecycle properties and the list fields (`listJson`), the whole JSON only for an alert
 * recorded before list fields were kept.
 */
const LIST_VIEWS = {
  full: 'a {.*}',
  summary:
    'a {.alertId, .latestVersion, .state, .receivedAt, .updatedAt, .streamSeq, .transitionCount, .stateChangedAt, ' +
    '.stateChangedBy, .assignee, .disposition, .dispositionReason, .duplicateOf, .strReference, .listJson, ' +
    'json: CASE WHEN a.listJson IS NULL THEN a.json END}',
} as const;

/** One page of the inbox: keyset on (sort value, alertId) after `$after` when `after` is set. */
export const listAlertsQuery = (
  shape: AlertQueryShape,
  sortKey: 'raisedAt' | 'severityRank' | 'score',
  descending: boolean,
  after: boolean,
  view: keyof typeof LIST_VIEWS = 'full',
): string => {
  const cmp = descending ? '<' : '>';
  const dir = descending ? 'DESC' : 'ASC';
  const keyset = after
    ? `\n  AND a.${sortKey} ${cmp}= $after.value\n  AND (a.${sortKey} ${cmp} $after.value OR a.alertId ${cmp} $after.alertId)`
    : '';
  return `
${alertMatch(shape, sortKey, true)}${keyset}
RETURN ${LIST_VIEWS[view]} AS alert
ORDER BY a.${sortKey} ${dir}, a.alertId ${dir}
LIMIT $limit
`;
};

/** Counts per state under the filters (the state filter aside). */
export const countAlertsByStateQuery = (shape: AlertQueryShape): string => `
${alertMatch(shape, 'raisedAt', false)}
RETURN a.state AS state, count(a) AS count
`;

export const GET_ALERT = `
MATCH (a:Alert {alertId: $alertId})
WHERE a.latestVersion > 0
OPTIONAL MATCH (a)-[:HAS_VERSION]->(v:AlertVersion)
WITH a, v ORDER BY v.version DESC
WITH a, collect(v {.version, .json, .receivedAt, .streamSeq}) AS versions
OPTIONAL MATCH (a)-[:HAD_TRANSITION]->(t:AlertTransition)
WITH a, versions, t ORDER BY t.seq ASC
RETURN a {.*} AS alert, versions, collect(t {.*}) AS transitions
`;

/**
 * A lifecycle transition as one conditional write: it applies only if the alert is still in `$from` and has had
 * exactly `$expectedCount` transitions, so of two concurrent transitions from the same state one wins and the
 * other matches nothing (the use case then answers 409).
 */
export const TRANSITION_ALERT = `
MATCH (a:Alert {alertId: $alertId})
SET a.lockedAt = datetime()
WITH a
WHERE a.state = $from AND a.transitionCount = $expectedCount
SET a.state = $to, a.stateChangedAt = $at, a.stateChangedBy = $by, a.transitionCount = a.transitionCount + 1,
    a += $stateFields
CREATE (t:AlertTransition {transitionKey: a.alertId + '#' + toString(a.transitionCount)})
SET t.seq = a.transitionCount, t.alertId = a.alertId, t.from = $from, t.to = $to, t.action = $action,
    t.by = $by, t.role = $role, t.at = $at, t += $transitionFields
MERGE (a)-[:HAD_TRANSITION]->(t)
WITH t
CALL () {
  MATCH (n:AlertInboxCounter {id: 'state:' + $from})
  SET n.count = n.count - 1
}
CALL () {
  MATCH (n:AlertInboxCounter {id: 'state:' + $to})
  SET n.count = n.count + 1
}
RETURN count(t) AS applied
`;

/** Versions after a stream id, oldest first, with the list's filters (replay for Last-Event-ID and polling). */
export const ALERT_VERSIONS_AFTER = `
MATCH (a:Alert)-[:HAS_VERSION]->(v:AlertVersion)
WHERE v.streamSeq > $afterSeq
  AND ($states IS NULL OR a.state IN $states)
  AND ($typologies IS NULL OR v.typology IN $typologies)
  AND ($severities IS NULL OR v.severity IN $severities)
  AND ($institution IS NULL OR $institution IN v.institutions)
  AND ($country IS NULL OR $country IN v.jurisdictions)
  AND ($caseId IS NULL OR $caseId IN v.caseIds)
  AND ($accountKey IS NULL OR $accountKey IN v.accountKeys)
  AND ($from IS NULL OR v.raisedAt >= $from)
  AND ($to IS NULL OR v.raisedAt < $to)
RETURN v.streamSeq AS streamSeq, v.json AS json, a.state AS state
ORDER BY v.streamSeq ASC
LIMIT $limit
`;

export const ALERT_INBOX_HEAD = `
OPTIONAL MATCH (c:AlertInboxCounter {id: 'alert-inbox'})
RETURN coalesce(c.seq, 0) AS seq
`;

/** Closed alerts with their disposition, for precision per typology. */
export const CLOSED_ALERT_DISPOSITIONS = `
MATCH (a:Alert)
WHERE a.state = 'closed' AND a.disposition IS NOT NULL
  AND ($from IS NULL OR a.stateChangedAt >= $from)
  AND ($to IS NULL OR a.stateChangedAt < $to)
RETURN a.alertId AS alertId, a.typology AS typology, a.disposition AS disposition
`;
