import type { Request } from 'express';

/** What a response disclosed: the audit entry names it, so an auditor can ask "who saw this account?". */
export interface AuditSubjects {
  readonly accounts?: readonly string[];
  readonly alerts?: readonly string[];
  readonly cases?: readonly string[];
}

const SUBJECTS = Symbol('audit-subjects');
type RequestWithSubjects = Request & {
  [SUBJECTS]?: { accounts: Set<string>; alerts: Set<string>; cases: Set<string> };
};

/** Controllers call this with what they return; repeated calls add up. */
export const recordAuditSubjects = (request: Request, subjects: AuditSubjects): void => {
  const target = request as RequestWithSubjects;
  const current = (target[SUBJECTS] ??= { accounts: new Set(), alerts: new Set(), cases: new Set() });
  for (const id of subjects.accounts ?? []) current.accounts.add(id);
  for (const id of subjects.alerts ?? []) current.alerts.add(id);
  for (const id of subjects.cases ?? []) current.cases.add(id);
};

export const auditSubjectsOf = (
  request: Request,
): { accounts: string[]; alerts: string[]; cases: string[] } => {
  const current = (request as RequestWithSubjects)[SUBJECTS];
  return {
    accounts: [...(current?.accounts ?? [])].sort(),
    alerts: [...(current?.alerts ?? [])].sort(),
    cases: [...(current?.cases ?? [])].sort(),
  };
};
