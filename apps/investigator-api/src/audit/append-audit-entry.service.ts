import { Inject, Injectable } from '@nestjs/common';
import { AuditLogRepository, type AuditContent, type AuditEntryRecord } from '@scamflow/graph';
import { INVESTIGATOR_API_CONFIG, type InvestigatorApiConfig } from '../investigator-api.config';
import { GENESIS_HASH, sealAuditEntry } from './audit-chain';

interface Pending {
  readonly content: AuditContent;
  readonly resolve: (record: AuditEntryRecord) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Appends sealed entries to this deployment's audit chain with a group commit: while one batch is being written,
 * the entries of concurrent requests queue, and the next write takes them all in one transaction. Each caller
 * still waits until its own entry is committed (a read the log does not show is not served), but 20 concurrent
 * requests cost one or two head locks instead of twenty in a row. Entries keep the order they were submitted in.
 */
@Injectable()
export class AppendAuditEntryService {
  private queue: Pending[] = [];
  private writing = false;

  constructor(
    @Inject(AuditLogRepository) private readonly auditLog: AuditLogRepository,
    @Inject(INVESTIGATOR_API_CONFIG) private readonly config: InvestigatorApiConfig,
  ) {}

  execute(content: AuditContent): Promise<AuditEntryRecord> {
    return new Promise<AuditEntryRecord>((resolve, reject) => {
      this.queue.push({ content, resolve, reject });
      if (!this.writing) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.writing = true;
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, this.config.API_AUDIT_MAX_BATCH);
        try {
          const records = await this.auditLog.appendBatch(
            this.config.API_AUDIT_CHAIN_ID,
            GENESIS_HASH,
            batch.map((p) => p.content),
            sealAuditEntry,
          );
          batch.forEach((p, i) => p.resolve(records[i] as AuditEntryRecord));
        } catch (error) {
          // Nothing of the batch was committed (one transaction): every request in it fails.
          for (const p of batch) p.reject(error);
        }
      }
    } finally {
      this.writing = false;
    }
  }
}
