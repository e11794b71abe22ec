// Investigator API inbox lookups (V004 is applied on long-lived servers, so additions come here).

// Selective inbox filters (case, institution, country) start from one tag node instead of scanning every alert.
CREATE CONSTRAINT alert_key IF NOT EXISTS
FOR (k:AlertKey) REQUIRE k.key IS UNIQUE;

// Sorting the inbox by severity or score reads these indexes in order and stops at the page size.
CREATE INDEX alert_severity_rank IF NOT EXISTS FOR (a:Alert) ON (a.severityRank);
CREATE INDEX alert_score IF NOT EXISTS FOR (a:Alert) ON (a.score);
