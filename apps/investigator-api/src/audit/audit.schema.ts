import { z } from 'zod';

const Time = z.iso.datetime({ offset: true });

export const ListAuditQuerySchema = z
  .strictObject({
    sub: z.string().min(1).max(128).optional().describe('entries of this caller only'),
    from: Time.optional().describe('entries at or after (ISO 8601)'),
    to: Time.optional().describe('entries before (ISO 8601)'),
    limit: z.coerce.number().int().min(1).max(500).optional().describe('page size (default 50)'),
    cursor: z
      .string()
      .regex(/^\d{1,15}$/, 'must be a nextCursor of this list')
      .optional()
      .describe('nextCursor of the previous page (entries before that seq)'),
  })
  .refine((q) => !q.from || !q.to || q.from < q.to, { message: 'from must be before to', path: ['from'] });
