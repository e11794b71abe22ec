import neo4j, { type Driver, type RecordShape, type Record as Neo4jRecord } from 'neo4j-driver';

/** Attempts of a read statement that fails with an error Neo4j marks retriable (leader switch, restart). */
const READ_ATTEMPTS = 3;

/**
 * One read statement as an auto-commit transaction: RUN and PULL go in one round trip, where a managed
 * transaction (`executeQuery`, `executeRead`) takes BEGIN, RUN and PULL and then COMMIT in a second. For the
 * investigator API's single-statement reads (inbox pages, counts, profiles) that is one round trip fewer per
 * request. Read routing (a cluster's secondaries may serve it) and `executeQuery`'s bookmark manager are kept, so
 * a read still sees what this process wrote before it; retriable errors are retried as a managed transaction's.
 */
export const readStatement = async (
  driver: Driver,
  database: string,
  query: string,
  params: Record<string, unknown>,
): Promise<Neo4jRecord<RecordShape>[]> => {
  for (let attempt = 1; ; attempt += 1) {
    const session = driver.session({
      database,
      defaultAccessMode: neo4j.session.READ,
      bookmarkManager: driver.executeQueryBookmarkManager,
    });
    try {
      return (await session.run(query, params)).records;
    } catch (error) {
      if (attempt >= READ_ATTEMPTS || !neo4j.isRetriableError(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
    } finally {
      await session.close();
    }
  }
};
