import { Inject, Injectable } from '@nestjs/common';
import { AuditLogRepository, type AuditContent, type AuditEntryRecord } from '@scamflow/graph';
import { INVESTIGATOR_API_CONFIG, type InvestigatorApiConfig } from '../investigator-api.config';
import { GENESIS_HASH, sealAuditEntry } from './audit-chain';

/** Appends one sealed entry to this deployment's audit chain. */
@Injectable()
export class AppendAuditEntryService {
  constructor(
    @Inject(AuditLogRepository) private readonly auditLog: AuditLogRepository,
    @Inject(INVESTIGATOR_API_CONFIG) private readonly config: InvestigatorApiConfig,
  ) {}

  execute(content: AuditContent): Promise<AuditEntryRecord> {
    return this.auditLog.append(this.config.API_AUDIT_CHAIN_ID, GENESIS_HASH, content, sealAuditEntry);
  }
}
