import { SetMetadata } from '@nestjs/common';
import type { Role } from '@scamflow/contracts';

export const ROLES_KEY = 'investigator-api:roles';
export const PUBLIC_KEY = 'investigator-api:public';

/** Roles allowed on a route; a route without `@Roles` (and not `@Public`) is refused to everyone. */
export const Roles = (...roles: readonly Role[]) => SetMetadata(ROLES_KEY, roles);

/** No token needed (health checks only). */
export const Public = () => SetMetadata(PUBLIC_KEY, true);
