import { Inject, Injectable } from '@nestjs/common';
import { AuditLogRepository } from '@scamflow/graph';
import { GENESIS_HASH, findChainBreak, type ChainBreak } from './audit-chain';

const PAGE = 1_000;

export type ChainVerdict =
  | { readonly ok: true; readonly entries: number; readonly headHash: string }
  | { readonly ok: false; readonly entries: number; readonly broken: ChainBreak };

/**
 * Recomputes a chain from its first entry: every hash from the stored content, every link, no gaps, and the
 * head pointing at the last entry (a deleted tail shows as a head ahead of the entries).
 */
@Injectable()
export class VerifyAuditChainService {
  constructor(@Inject(AuditLogRepository) private readonly auditLog: AuditLogRepository) {}

  async execute(chainId: string): Promise<ChainVerdict> {
    let last = { seq: 0, hash: GENESIS_HASH };
    let entries = 0;
    for (;;) {
      const page = await this.auditLog.readChain(chainId, last.seq, PAGE);
      const broken = findChainBreak(page, last);
      if (broken) return { ok: false, entries, broken };
      entries += page.length;
      const tail = page[page.length - 1];
      if (tail) last = { seq: tail.seq, hash: tail.hash };
      if (page.length < PAGE) break;
    }
    const head = await this.auditLog.head(chainId);
    if (head && (head.seq !== last.seq || head.hash !== last.hash)) {
      return {
        ok: false,
        entries,
        broken: {
          seq: last.seq + 1,
          reason: `the chain head is at entry ${head.seq} but the stored entries end at ${last.seq}`,
        },
      };
    }
    return { ok: true, entries, headHash: last.hash };
  }
}
