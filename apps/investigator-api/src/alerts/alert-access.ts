import type { AlertFilter } from '@scamflow/graph';
import type { Principal } from '../auth/principal';
import { ProblemException } from '../http/problem';
import type { StreamAlertsQuery } from './alerts.schema';

/** A bank sees only alerts involving its own institution: its filter is forced, another institution is 403. */
export const scopedInstitution = (
  principal: Principal,
  requested: string | undefined,
): string | undefined => {
  if (principal.role !== 'bank') return requested;
  if (requested !== undefined && requested !== principal.institutionId) {
    throw new ProblemException(403, 'Forbidden', 'a bank may only list alerts of its own institution');
  }
  return principal.institutionId;
};

export const filterOf = (
  query: Omit<StreamAlertsQuery, 'lastEventId'>,
  principal: Principal,
): AlertFilter => {
  const institution = scopedInstitution(principal, query.institution);
  return {
    ...(query.status ? { states: query.status } : {}),
    ...(query.typology ? { typologies: query.typology } : {}),
    ...(query.severity ? { severities: query.severity } : {}),
    ...(institution ? { institution } : {}),
    ...(query.country ? { country: query.country } : {}),
    ...(query.caseId ? { caseId: query.caseId } : {}),
    ...(query.accountKey ? { accountKey: query.accountKey } : {}),
    ...(query.from ? { from: query.from } : {}),
    ...(query.to ? { to: query.to } : {}),
  };
};

export const mayViewAlert = (principal: Principal, institutions: readonly string[]): boolean =>
  principal.role !== 'bank' ||
  (principal.institutionId !== undefined && institutions.includes(principal.institutionId));
