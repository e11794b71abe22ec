import type { Role } from './role';

/**
 * Who may call what: route id (`METHOD /path/:param`) → roles allowed. Controllers take their `@Roles(...)`
 * from here, the matrix spec walks every cell on real servers, and docs/investigator-api.md renders it.
 */
export const ROLE_MATRIX = {
  'GET /alerts': ['analyst', 'investigator', 'supervisor', 'bank'],
  'GET /alerts/stream': ['analyst', 'investigator', 'supervisor', 'bank'],
  'GET /alerts/dispositions/precision': ['supervisor', 'auditor'],
  'GET /alerts/:alertId': ['analyst', 'investigator', 'supervisor', 'bank'],
  'POST /alerts/:alertId/transitions': ['analyst', 'supervisor'],
  'GET /audit': ['auditor'],
  'GET /accounts/:accountKey': ['analyst', 'investigator', 'supervisor', 'bank'],
  'GET /accounts/:accountKey/trace': ['investigator', 'supervisor'],
  'GET /paths': ['investigator', 'supervisor'],
  'POST /cases': ['hotline', 'investigator', 'supervisor'],
  'GET /cases/:caseId': ['investigator', 'supervisor'],
  'GET /cases/:caseId/freeze-requests': ['investigator', 'supervisor'],
  'GET /alerts/:alertId/goaml.xml': ['supervisor'],
  'GET /cases/:caseId/goaml.xml': ['supervisor'],
} as const satisfies Record<string, readonly Role[]>;
export type RouteId = keyof typeof ROLE_MATRIX;
