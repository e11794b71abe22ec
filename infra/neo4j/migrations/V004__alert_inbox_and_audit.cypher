// Investigator API: alert inbox (detection.alert.raised.v1 kept durably) and the hash-chained audit log.

// One node per alert id; one per (alert id, version): replays are recognised by these keys.
CREATE CONSTRAINT alert_id IF NOT EXISTS
FOR (a:Alert) REQUIRE a.alertId IS UNIQUE;

CREATE CONSTRAINT alert_version_key IF NOT EXISTS
FOR (v:AlertVersion) REQUIRE v.versionKey IS UNIQUE;

CREATE CONSTRAINT alert_transition_key IF NOT EXISTS
FOR (t:AlertTransition) REQUIRE t.transitionKey IS UNIQUE;

CREATE CONSTRAINT alert_inbox_counter_id IF NOT EXISTS
FOR (c:AlertInboxCounter) REQUIRE c.id IS UNIQUE;

// Inbox list: newest first, by state; SSE replay after a stream id.
CREATE INDEX alert_raised_at IF NOT EXISTS FOR (a:Alert) ON (a.raisedAt);
CREATE INDEX alert_state IF NOT EXISTS FOR (a:Alert) ON (a.state);
CREATE INDEX alert_version_stream_seq IF NOT EXISTS FOR (v:AlertVersion) ON (v.streamSeq);

// Audit: seq is unique per chain (entryKey = chainId:seq); one head per chain serialises appends.
CREATE CONSTRAINT audit_entry_key IF NOT EXISTS
FOR (e:AuditEntry) REQUIRE e.entryKey IS UNIQUE;

CREATE CONSTRAINT audit_head_chain_id IF NOT EXISTS
FOR (h:AuditHead) REQUIRE h.chainId IS UNIQUE;

CREATE INDEX audit_entry_chain_seq IF NOT EXISTS FOR (e:AuditEntry) ON (e.chainId, e.seq);
