import { z } from 'zod';
import { TimestampSchema } from './primitives.schema';

/** One transfer the graph now holds (enough to find it again: the id, its two ends and its time). */
export const CommittedTransferSchema = z.strictObject({
  transferId: z.string(),
  debtorKey: z.string(),
  creditorKey: z.string(),
  bookedAt: TimestampSchema,
});
export type CommittedTransfer = z.infer<typeof CommittedTransferSchema>;

/**
 * Published by graph-writer after a write transaction commits (topic `flow.graph.committed.v1`), so services that
 * read the graph (proceeds tracing, graph-pattern detectors) act only on what the graph already holds. Replays
 * re-announce transfers already written; consumers are idempotent.
 */
export const GraphCommittedSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    schemaVersion: z.literal(1),
    kind: z.literal('transfers'),
    committedAt: TimestampSchema,
    transfers: z.array(CommittedTransferSchema).min(1),
  }),
  z.strictObject({
    schemaVersion: z.literal(1),
    kind: z.literal('victim-reports'),
    committedAt: TimestampSchema,
    reports: z.array(z.strictObject({ caseId: z.string(), version: z.number().int().min(1) })).min(1),
  }),
  z.strictObject({
    schemaVersion: z.literal(1),
    kind: z.literal('account-facts'),
    committedAt: TimestampSchema,
    /** Accounts whose facts (opening, closing, identifiers) changed. */
    accountKeys: z.array(z.string()).min(1),
  }),
]);
export type GraphCommitted = z.infer<typeof GraphCommittedSchema>;
