import { createHash, randomUUID } from 'node:crypto';
import neo4j, { type Driver } from 'neo4j-driver';
import { testServers } from '../../../test/support/test-env';
import { AuditLogRepository, type AuditContent, type AuditSeal } from './audit-log.repository';

const GENESIS = '0'.repeat(64);
const seal: AuditSeal = (link, content) =>
  createHash('sha256').update(JSON.stringify({ link, content })).digest('hex');
const content = (sub: string): AuditContent => ({
  at: new Date().toISOString(),
  sub,
  role: 'analyst',
  institutionId: null,
  method: 'GET',
  route: 'GET /alerts',
  params: '{}',
  status: 200,
  accounts: [],
  alerts: [],
  cases: [],
});

describe('audit log repository (two instances appending to one chain)', () => {
  let driver: Driver;
  let database: string;

  beforeAll(() => {
    const servers = testServers();
    database = servers.neo4jDatabase;
    driver = neo4j.driver(
      servers.neo4jUrl,
      servers.neo4jUser ? neo4j.auth.basic(servers.neo4jUser, servers.neo4jPassword) : undefined,
    );
  });

  afterAll(async () => {
    await driver.close();
  });

  /** Every stored entry of the chain, oldest first, and whether each links to the one before it. */
  const storedChain = async (chainId: string) => {
    const entries = await new AuditLogRepository(driver, database).readChain(chainId, 0, 1_000);
    const linked = entries.every((e, i) => e.prevHash === (i === 0 ? GENESIS : entries[i - 1]?.hash));
    return { entries, linked };
  };

  it('appends after the stored head when another instance appended since this one did', async () => {
    const chainId = `audit-repo-${randomUUID()}`;
    const first = new AuditLogRepository(driver, database);
    const second = new AuditLogRepository(driver, database);

    await first.appendBatch(chainId, GENESIS, [content('a1')], seal);
    await second.appendBatch(chainId, GENESIS, [content('b1'), content('b2')], seal);
    // `first` last left the head at seq 1; the chain is at 3 now.
    const [appended] = await first.appendBatch(chainId, GENESIS, [content('a2')], seal);

    expect(appended).toMatchObject({ seq: 4, sub: 'a2' });
    const { entries, linked } = await storedChain(chainId);
    expect(entries.map((e) => [e.seq, e.sub])).toEqual([
      [1, 'a1'],
      [2, 'b1'],
      [3, 'b2'],
      [4, 'a2'],
    ]);
    expect(linked).toBe(true);
    expect(await first.head(chainId)).toEqual({ seq: 4, hash: appended?.hash });
  });

  it('never forks or skips a seq when two instances append concurrently', async () => {
    const chainId = `audit-repo-${randomUUID()}`;
    const instances = [new AuditLogRepository(driver, database), new AuditLogRepository(driver, database)];
    // Each instance has appended once, so both go the one-statement way from a head that is soon stale.
    for (const [i, repo] of instances.entries())
      await repo.appendBatch(chainId, GENESIS, [content(`warm-${i}`)], seal);

    await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        (instances[i % 2] as AuditLogRepository).appendBatch(
          chainId,
          GENESIS,
          [content(`c${i}`), content(`d${i}`)],
          seal,
        ),
      ),
    );

    const { entries, linked } = await storedChain(chainId);
    expect(entries.map((e) => e.seq)).toEqual(Array.from({ length: 62 }, (_, i) => i + 1));
    expect(new Set(entries.map((e) => e.sub)).size).toBe(62);
    expect(linked).toBe(true);
  });
});
