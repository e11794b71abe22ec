// Account facts and victim reports (account.fact.observed.v1, case.victim-report.filed.v1).

// A device, phone, IP or holder pseudonym is one node, so accounts sharing it meet on it.
CREATE CONSTRAINT identifier_key IF NOT EXISTS
FOR (i:Identifier) REQUIRE i.identifierKey IS UNIQUE;

// A case is one report whatever the re-filings.
CREATE CONSTRAINT victim_report_case_id IF NOT EXISTS
FOR (r:VictimReport) REQUIRE r.caseId IS UNIQUE;

// Newly opened accounts receiving many inflows; legitimate hubs (payroll, merchant, exchange) filtered by type.
CREATE INDEX account_opened_at IF NOT EXISTS FOR (a:Account) ON (a.openedAt);
CREATE INDEX account_type IF NOT EXISTS FOR (a:Account) ON (a.accountType);

// Identifiers shared within a recent window.
CREATE INDEX used_identifier_last_seen_at IF NOT EXISTS
FOR ()-[u:USED_IDENTIFIER]-() ON (u.lastSeenAt);

// Recent reports first; reports by scam type for typology monitoring.
CREATE INDEX victim_report_reported_at IF NOT EXISTS FOR (r:VictimReport) ON (r.reportedAt);
CREATE INDEX victim_report_scam_type IF NOT EXISTS FOR (r:VictimReport) ON (r.scamType);
