import { z } from 'zod';
import { ROLES } from '@scamflow/contracts';

/** Claims a token must carry. `institution` is the reporting institution of a `bank` caller. */
export const JwtClaimsSchema = z
  .object({
    sub: z.string().min(1).max(128),
    role: z.enum(ROLES),
    institution: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._:\-/#]{0,127}$/)
      .optional(),
  })
  .refine((claims) => claims.role !== 'bank' || claims.institution !== undefined, {
    message: 'a bank token must name its institution',
    path: ['institution'],
  });
export type JwtClaims = z.infer<typeof JwtClaimsSchema>;
