// Accounts are looked up by holding institution and jurisdiction (freeze requests, cross-border checks).
CREATE INDEX account_institution IF NOT EXISTS FOR (a:Account) ON (a.institutionId);
CREATE INDEX account_country IF NOT EXISTS FOR (a:Account) ON (a.country);
CREATE INDEX account_holder IF NOT EXISTS FOR (a:Account) ON (a.holderId);
