// Core schema of the money-flow graph (Neo4j 5 Community syntax).
// One statement per `;`. Schema commands run one per auto-commit transaction.

// An account is identified by its normalised key (institution + local account id).
CREATE CONSTRAINT account_key IF NOT EXISTS
FOR (a:Account) REQUIRE a.accountKey IS UNIQUE;

CREATE CONSTRAINT institution_id IF NOT EXISTS
FOR (i:Institution) REQUIRE i.institutionId IS UNIQUE;

// Idempotent ingestion: a transfer is written once, whatever the redeliveries.
CREATE CONSTRAINT transfer_id IF NOT EXISTS
FOR ()-[t:TRANSFERRED_TO]-() REQUIRE t.transferId IS UNIQUE;

// Time-window traversals (rolling look-backs) filter transfers by booking time.
CREATE INDEX transferred_to_booked_at IF NOT EXISTS
FOR ()-[t:TRANSFERRED_TO]-() ON (t.bookedAt);

CREATE CONSTRAINT schema_migration_version IF NOT EXISTS
FOR (m:SchemaMigration) REQUIRE m.version IS UNIQUE;
