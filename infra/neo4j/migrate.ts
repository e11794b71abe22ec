/**
 * Versioned Neo4j schema migrations.
 * Files: infra/neo4j/migrations/V<NNN>__<name>.cypher, statements separated by `;`, `//` comment lines ignored.
 * Each applied file is recorded as (:SchemaMigration {version, name, checksum, appliedAt}).
 * CLI: tsx infra/neo4j/migrate.ts   (NEO4J_URL, NEO4J_USER, NEO4J_PASSWORD, NEO4J_DATABASE)
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import neo4j, { type Driver, type Session } from 'neo4j-driver';
import { createNeo4jDriver, type Neo4jTarget } from './driver';

export const MIGRATIONS_DIR = path.join(__dirname, 'migrations');

const FILE_PATTERN = /^V(\d+)__([A-Za-z0-9_]+)\.cypher$/;

export interface MigrationFile {
  readonly version: number;
  readonly name: string;
  /** e.g. V001__core_constraints */
  readonly id: string;
  readonly file: string;
  readonly checksum: string;
  readonly statements: readonly string[];
}

export interface MigrationResult {
  readonly applied: readonly string[];
  readonly alreadyApplied: readonly string[];
}

/** Either connection details (a driver is opened and closed here) or a caller-owned driver. */
export type MigrationTarget = Neo4jTarget | { readonly driver: Driver; readonly database: string };

export interface MigrateOptions {
  readonly dir?: string;
  readonly log?: (line: string) => void;
}

export class MigrationError extends Error {
  override readonly name = 'MigrationError';
}

/**
 * Naive split on `;`: fine for schema DDL; a `;` inside a string literal would need a real parser.
 */
export function parseStatements(source: string): string[] {
  return source
    .replace(/\r\n/g, '\n')
    .split('\n')
    .filter((line) => !line.trimStart().startsWith('//'))
    .join('\n')
    .split(';')
    .map((statement) => statement.trim())
    .filter((statement) => statement.length > 0);
}

/** Checksum of the statements only, so editing comments or blank lines does not invalidate an applied file. */
export function checksumOf(statements: readonly string[]): string {
  return createHash('sha256').update(statements.join(';\n')).digest('hex');
}

export function loadMigrations(dir: string = MIGRATIONS_DIR): MigrationFile[] {
  const migrations = fs
    .readdirSync(dir)
    .filter((file) => file.endsWith('.cypher'))
    .map((file) => toMigration(dir, file));
  migrations.sort((a, b) => a.version - b.version);
  assertUniqueVersions(migrations);
  return migrations;
}

function toMigration(dir: string, file: string): MigrationFile {
  const match = FILE_PATTERN.exec(file);
  if (!match?.[1] || !match[2]) {
    throw new MigrationError(`${file}: migration files must be named V<NNN>__<name>.cypher`);
  }
  const statements = parseStatements(fs.readFileSync(path.join(dir, file), 'utf8'));
  if (statements.length === 0) throw new MigrationError(`${file}: no statements`);
  const version = Number(match[1]);
  return {
    version,
    name: match[2],
    id: file.replace(/\.cypher$/, ''),
    file,
    statements,
    checksum: checksumOf(statements),
  };
}

function assertUniqueVersions(migrations: readonly MigrationFile[]): void {
  for (let i = 1; i < migrations.length; i++) {
    const previous = migrations[i - 1];
    const current = migrations[i];
    if (previous && current && previous.version === current.version) {
      throw new MigrationError(
        `duplicate migration version ${current.version}: ${previous.file} and ${current.file}`,
      );
    }
  }
}

interface AppliedRow {
  readonly version: number;
  readonly checksum: string;
}

const toNumber = (value: unknown): number => (neo4j.isInt(value) ? value.toNumber() : Number(value));

async function readApplied(session: Session): Promise<Map<number, AppliedRow>> {
  const result = await session.executeRead((tx) =>
    tx.run('MATCH (m:SchemaMigration) RETURN m.version AS version, m.checksum AS checksum'),
  );
  const rows = result.records.map((record) => ({
    version: toNumber(record.get('version')),
    checksum: String(record.get('checksum')),
  }));
  return new Map(rows.map((row) => [row.version, row]));
}

/** MERGE so that two runners racing on the same file agree instead of failing on the constraint. */
async function recordApplied(session: Session, migration: MigrationFile): Promise<void> {
  const result = await session.executeWrite((tx) =>
    tx.run(
      `MERGE (m:SchemaMigration {version: $version})
       ON CREATE SET m.name = $name, m.checksum = $checksum, m.appliedAt = datetime()
       RETURN m.checksum AS checksum`,
      { version: neo4j.int(migration.version), name: migration.name, checksum: migration.checksum },
    ),
  );
  const stored = String(result.records[0]?.get('checksum'));
  if (stored !== migration.checksum) throw checksumError(migration);
}

function checksumError(migration: MigrationFile): MigrationError {
  return new MigrationError(
    `${migration.file} was changed after it was applied (checksum differs). ` +
      'Add a new migration instead of editing an applied one.',
  );
}

async function migrate(driver: Driver, database: string, options: MigrateOptions): Promise<MigrationResult> {
  const log = options.log ?? ((): void => undefined);
  const migrations = loadMigrations(options.dir);
  const session = driver.session({ database, defaultAccessMode: neo4j.session.WRITE });
  try {
    // The bookkeeping constraint must exist before the first record is written (V001 repeats it harmlessly).
    await session.run(
      'CREATE CONSTRAINT schema_migration_version IF NOT EXISTS FOR (m:SchemaMigration) REQUIRE m.version IS UNIQUE',
    );
    const applied = await readApplied(session);
    for (const version of applied.keys()) {
      if (!migrations.some((m) => m.version === version))
        log(`warning: version ${version} is applied but has no file`);
    }
    const done: string[] = [];
    const skipped: string[] = [];
    for (const migration of migrations) {
      const previous = applied.get(migration.version);
      if (previous) {
        if (previous.checksum !== migration.checksum) throw checksumError(migration);
        skipped.push(migration.id);
        continue;
      }
      // Schema commands cannot share a transaction with writes, so each runs in its own auto-commit transaction.
      for (const statement of migration.statements) await session.run(statement);
      await recordApplied(session, migration);
      log(`applied ${migration.id} (${migration.statements.length} statements)`);
      done.push(migration.id);
    }
    return { applied: done, alreadyApplied: skipped };
  } finally {
    await session.close();
  }
}

/** Applies pending migrations in version order. Re-running is a no-op; an edited applied file is an error. */
export async function applyMigrations(
  target: MigrationTarget,
  options: MigrateOptions = {},
): Promise<MigrationResult> {
  if ('driver' in target) return migrate(target.driver, target.database, options);
  const driver = createNeo4jDriver(target);
  try {
    return await migrate(driver, target.database, options);
  } finally {
    await driver.close();
  }
}

export function neo4jTargetFromEnv(env: NodeJS.ProcessEnv = process.env): Neo4jTarget {
  return {
    url: env['NEO4J_URL'] || 'bolt://127.0.0.1:17687',
    user: env['NEO4J_USER'] || undefined,
    password: env['NEO4J_PASSWORD'] || undefined,
    database: env['NEO4J_DATABASE'] || 'neo4j',
  };
}

async function main(): Promise<void> {
  const target = neo4jTargetFromEnv();
  const result = await applyMigrations(target, { log: (line) => console.log(`[migrate] ${line}`) });
  console.log(
    `[migrate] ${target.url}/${target.database}: ${result.applied.length} applied, ` +
      `${result.alreadyApplied.length} already applied`,
  );
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(`[migrate] ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  });
}
