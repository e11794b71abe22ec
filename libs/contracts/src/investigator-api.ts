/**
 * Who may do what in the investigator API, as plain data shared by the API (which enforces it) and the
 * investigator console (which only shows what the signed-in role may use; the API still decides every call).
 */

/** Who uses the API (issue 9 "Who may do what"). */
export const ROLES = ['analyst', 'investigator', 'supervisor', 'bank', 'hotline', 'auditor'] as const;
export type Role = (typeof ROLES)[number];

/**
 * Who may call what: route id (`METHOD /path/:param`) → roles allowed. The API's controllers take their
 * `@Roles(...)` from here, the matrix spec walks every cell on real servers, and docs/investigator-api.md renders it.
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

/** States of an alert in the investigators' inbox. */
export const INBOX_STATES = ['new', 'acknowledged', 'assigned', 'escalated', 'closed'] as const;
export type InboxStateName = (typeof INBOX_STATES)[number];

/** How a supervisor closes an alert. */
export const DISPOSITIONS = ['confirmed-mule', 'confirmed-proceeds', 'false-positive', 'duplicate'] as const;
export type Disposition = (typeof DISPOSITIONS)[number];

export const LIFECYCLE_ACTIONS = ['acknowledge', 'assign', 'escalate', 'close'] as const;
export type LifecycleActionName = (typeof LIFECYCLE_ACTIONS)[number];

export interface LifecycleRule {
  readonly from: readonly InboxStateName[];
  readonly to: InboxStateName;
  readonly roles: readonly Role[];
}

/**
 * The inbox lifecycle: new → acknowledged → assigned → escalated (STR drafted) → closed. Analysts work an alert
 * up to escalation; closing is a supervisor's decision. A false positive or a duplicate may be closed before
 * escalation (no STR is drafted for them); confirming a mule or proceeds needs the STR drafted first (the API's
 * `planTransition` checks that).
 */
export const LIFECYCLE: Readonly<Record<LifecycleActionName, LifecycleRule>> = {
  acknowledge: { from: ['new'], to: 'acknowledged', roles: ['analyst', 'supervisor'] },
  assign: { from: ['acknowledged', 'assigned'], to: 'assigned', roles: ['analyst', 'supervisor'] },
  escalate: { from: ['assigned'], to: 'escalated', roles: ['analyst', 'supervisor'] },
  close: { from: ['acknowledged', 'assigned', 'escalated'], to: 'closed', roles: ['supervisor'] },
};

/** Actions `role` may take on an alert in `state` (the buttons a client shows). */
export const allowedActions = (state: string, role: string): LifecycleActionName[] =>
  LIFECYCLE_ACTIONS.filter((action) => {
    const rule = LIFECYCLE[action];
    return (
      (rule.from as readonly string[]).includes(state) && (rule.roles as readonly string[]).includes(role)
    );
  });
