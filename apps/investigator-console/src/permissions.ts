import { ROLE_MATRIX, type RouteId } from '../../investigator-api/src/auth/role-matrix';
import { session } from './session';

/**
 * Whether the signed-in role may call an API route, from the API's own role matrix (one source of truth): the
 * console hides what the role cannot use. The API still decides on every call.
 */
export const may = (route: RouteId): boolean => {
  const role = session.user()?.role;
  return role !== undefined && (ROLE_MATRIX[route] as readonly string[]).includes(role);
};
