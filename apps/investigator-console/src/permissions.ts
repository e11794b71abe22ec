import { ROLE_MATRIX, type RouteId } from '@scamflow/contracts';
import { session } from './session';

/**
 * Whether the signed-in role may call an API route, from the role matrix the API enforces (libs/contracts, one source of truth): the
 * console hides what the role cannot use. The API still decides on every call.
 */
export const may = (route: RouteId): boolean => {
  const role = session.user()?.role;
  return role !== undefined && (ROLE_MATRIX[route] as readonly string[]).includes(role);
};
