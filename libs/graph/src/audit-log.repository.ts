import { Inject, Injectable } from '@nestjs/common';
import neo4j, { type Driver } from 'neo4j-driver';
import {
  APPEND_AUDIT_ENTRIES,
  APPEND_AUDIT_ENTRIES_AT_KNOWN_HEAD,
  LIST_AUDIT_ENTRIES,
  LOCK_AUDIT_HEAD,
  READ_AUDIT_CHAIN,
  READ_AUDIT_HEAD,
} from './audit-log.cypher';
import { numberOf } from './neo4j-values';
import { NEO4J_DATABASE, NEO4J_DRIVER } from './neo4j.module';
import { readStatement } from './read-statement';

/** What one audit entry says, as hashed. Lists and strings only: they round-trip through Neo4j unchanged. */
export interface AuditContent {
  readonly at: string;
  readonly sub: string;
  readonly role: string;
  readonly institutionId: string | null;
  readonly method: string;
  /** Route id as in the role matrix, e.g. `GET /alerts/:alertId`. */
  readonly route: string;
  /** Path parameters and query, as canonical JSON. */
  readonly params: string;
  readonly status: number;
  readonly accounts: readonly string[];
  readonly alerts: readonly string[];
  readonly cases: readonly string[];
}

export interface AuditEntryRecord extends AuditContent {
  readonly chainId: string;
  readonly seq: number;
  readonly prevHash: string;
  readonly hash: string;
}

/** Computes an entry's hash from its position and content (policy stays with the caller). */
export type AuditSeal = (
  link: { chainId: string; seq: number; prevHash: string },
  content: AuditContent,
) => string;

export interface AuditListQuery {
  readonly chainId: string;
  readonly beforeSeq?: number;
  readonly sub?: string;
  readonly from?: string;
  readonly to?: string;
  readonly limit: number;
}

const strings = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : []);

const toRecord = (raw: Record<string, unknown>): AuditEntryRecord => ({
  chainId: String(raw['chainId']),
  seq: numberOf(raw['seq']),
  prevHash: String(raw['prevHash']),
  hash: String(raw['hash']),
  at: String(raw['at']),
  sub: String(raw['sub']),
  role: String(raw['role']),
  institutionId: typeof raw['institutionId'] === 'string' ? raw['institutionId'] : null,
  method: String(raw['method']),
  route: String(raw['route']),
  params: String(raw['params']),
  status: numberOf(raw['status']),
  accounts: strings(raw['accounts']),
  alerts: strings(raw['alerts']),
  cases: strings(raw['cases']),
});

interface ChainHead {
  readonly seq: number;
  readonly hash: string;
}

/** Seals contents as the entries right after `head`, in order. */
const sealAfter = (
  chainId: string,
  head: ChainHead,
  contents: readonly AuditContent[],
  seal: AuditSeal,
): AuditEntryRecord[] => {
  let seq = head.seq;
  let prevHash = head.hash;
  return contents.map((content) => {
    seq += 1;
    const hash = seal({ chainId, seq, prevHash }, content);
    const record = { ...content, chainId, seq, prevHash, hash };
    prevHash = hash;
    return record;
  });
};

/** Parameters of APPEND_AUDIT_ENTRIES(_AT_KNOWN_HEAD) for consecutive sealed entries. */
const appendParams = (chainId: string, sealed: readonly AuditEntryRecord[]) => {
  const first = sealed[0] as AuditEntryRecord;
  const last = sealed[sealed.length - 1] as AuditEntryRecord;
  return {
    chainId,
    firstSeq: neo4j.int(first.seq),
    prevHash: first.prevHash,
    lastSeq: neo4j.int(last.seq),
    lastHash: last.hash,
    entries: sealed.map(({ chainId: _chain, seq, prevHash, hash, ...content }) => ({
      seq: neo4j.int(seq),
      prevHash,
      hash,
      entry: { ...content, status: neo4j.int(content.status) },
    })),
  };
};

@Injectable()
export class AuditLogRepository {
  /** Per chain, the head this instance's last append left: the next append expects it (one statement). */
  private readonly knownHeads = new Map<string, ChainHead>();

  constructor(
    @Inject(NEO4J_DRIVER) private readonly driver: Driver,
    @Inject(NEO4J_DATABASE) private readonly database: string,
  ) {}

  /**
   * Appends entries, in order, at the head of the chain, all or none (a group commit: one lock and one commit
   * for the whole batch). When this instance appended last, that is one auto-commit statement expecting the
   * head it left (one round trip); otherwise, or when another instance has appended since, one write
   * transaction that locks the head, reads it and appends after it.
   */
  async appendBatch(
    chainId: string,
    genesisHash: string,
    contents: readonly AuditContent[],
    seal: AuditSeal,
  ): Promise<AuditEntryRecord[]> {
    if (contents.length === 0) return [];
    const known = this.knownHeads.get(chainId);
    if (known) {
      const sealed = sealAfter(chainId, known, contents, seal);
      const session = this.driver.session({
        database: this.database,
        defaultAccessMode: neo4j.session.WRITE,
      });
      try {
        const { records } = await session.run(
          APPEND_AUDIT_ENTRIES_AT_KNOWN_HEAD,
          appendParams(chainId, sealed),
        );
        if (records.length > 0 && numberOf(records[0]?.get('applied')) === sealed.length) {
          return this.advance(chainId, sealed);
        }
      } catch {
        // Whether it committed is unknown: the locked append below starts from the head as stored.
      } finally {
        await session.close();
      }
      this.knownHeads.delete(chainId);
    }
    const session = this.driver.session({ database: this.database, defaultAccessMode: neo4j.session.WRITE });
    try {
      const sealed = await session.executeWrite(async (tx) => {
        const head = await tx.run(LOCK_AUDIT_HEAD, { chainId, genesisHash });
        const stored: ChainHead = {
          seq: numberOf(head.records[0]?.get('seq')),
          hash: String(head.records[0]?.get('hash')),
        };
        const batch = sealAfter(chainId, stored, contents, seal);
        const appended = await tx.run(APPEND_AUDIT_ENTRIES, appendParams(chainId, batch));
        if (numberOf(appended.records[0]?.get('applied')) !== batch.length) {
          throw new Error(`audit chain ${chainId} moved while its head was locked`);
        }
        return batch;
      });
      return this.advance(chainId, sealed);
    } finally {
      await session.close();
    }
  }

  private advance(chainId: string, sealed: AuditEntryRecord[]): AuditEntryRecord[] {
    const last = sealed[sealed.length - 1] as AuditEntryRecord;
    this.knownHeads.set(chainId, { seq: last.seq, hash: last.hash });
    return sealed;
  }

  async list(query: AuditListQuery): Promise<AuditEntryRecord[]> {
    const records = await readStatement(this.driver, this.database, LIST_AUDIT_ENTRIES, {
      chainId: query.chainId,
      beforeSeq: query.beforeSeq === undefined ? null : neo4j.int(query.beforeSeq),
      sub: query.sub ?? null,
      from: query.from ?? null,
      to: query.to ?? null,
      limit: neo4j.int(query.limit),
    });
    return records.map((r) => toRecord(r.get('entry') as Record<string, unknown>));
  }

  /** Entries after `afterSeq`, oldest first (verification walks the chain in pages). */
  async readChain(chainId: string, afterSeq: number, limit: number): Promise<AuditEntryRecord[]> {
    const records = await readStatement(this.driver, this.database, READ_AUDIT_CHAIN, {
      chainId,
      afterSeq: neo4j.int(afterSeq),
      limit: neo4j.int(limit),
    });
    return records.map((r) => toRecord(r.get('entry') as Record<string, unknown>));
  }

  async head(chainId: string): Promise<{ seq: number; hash: string } | undefined> {
    const records = await readStatement(this.driver, this.database, READ_AUDIT_HEAD, { chainId });
    const record = records[0];
    return record ? { seq: numberOf(record.get('seq')), hash: String(record.get('hash')) } : undefined;
  }
}
