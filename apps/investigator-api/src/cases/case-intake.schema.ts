import { z } from 'zod';
import { IdentifierSchema, VictimReportFiledSchema } from '@scamflow/contracts';

/**
 * `POST /cases` body: the `case.victim-report.filed.v1` contract itself, except that a hotline operator may
 * leave out `schemaVersion` (1), `version` (1) and `caseId` (the API assigns one and returns it).
 */
export const CaseIntakeSchema = VictimReportFiledSchema.extend({
  schemaVersion: z.literal(1).default(1),
  caseId: IdentifierSchema.optional(),
  version: z.number().int().min(1).max(1_000_000).default(1),
});
export type CaseIntake = z.infer<typeof CaseIntakeSchema>;

export const CasePathSchema = z.strictObject({
  caseId: IdentifierSchema,
});

export const FreezeRequestsQuerySchema = z.strictObject({
  format: z.enum(['json', 'html']).default('json'),
});
