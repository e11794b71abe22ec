/**
 * `npm run audit:verify [-- --chain <id>]`: recomputes the audit chain (default: API_AUDIT_CHAIN_ID) and names
 * the first broken entry. Exit code 0 when intact, 1 when broken, 2 when it could not be checked.
 */
import { parseArgs } from 'node:util';
import { AuditLogRepository, createNeo4jDriver, neo4jConnectionOf } from '@scamflow/graph';
import { loadInvestigatorApiConfig } from '../investigator-api.config';
import { VerifyAuditChainService } from './verify-audit-chain.service';

const main = async (): Promise<number> => {
  const { values } = parseArgs({ options: { chain: { type: 'string' } } });
  const config = loadInvestigatorApiConfig();
  const chainId = values.chain ?? config.API_AUDIT_CHAIN_ID;
  const driver = createNeo4jDriver(neo4jConnectionOf(config));
  try {
    const verdict = await new VerifyAuditChainService(
      new AuditLogRepository(driver, config.NEO4J_DATABASE),
    ).execute(chainId);
    if (verdict.ok) {
      console.log(`audit chain ${chainId}: ${verdict.entries} entries verified, head ${verdict.headHash}`);
      return 0;
    }
    console.error(
      `audit chain ${chainId}: BROKEN at entry ${verdict.broken.seq}: ${verdict.broken.reason} ` +
        `(${verdict.entries} entries before it verified)`,
    );
    return 1;
  } finally {
    await driver.close();
  }
};

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(
      `audit:verify could not check the chain: ${error instanceof Error ? error.message : String(error)}`,
    );
    process.exitCode = 2;
  },
);
