import { api } from './api-client';
import type { Disposition, LifecycleState } from './api-types';

/** Transitions the inbox lifecycle allows from each state (the API refuses others with 409). */
export const NEXT_STATES: Record<LifecycleState, readonly LifecycleState[]> = {
  new: ['acknowledged', 'assigned', 'escalated', 'closed'],
  acknowledged: ['assigned', 'escalated', 'closed'],
  assigned: ['escalated', 'closed'],
  escalated: ['closed'],
  closed: [],
};

/** Who may move an alert into a state (issue 9: analysts up to escalated, supervisors close). */
const ROLES_FOR: Record<Exclude<LifecycleState, 'new'>, readonly string[]> = {
  acknowledged: ['analyst', 'supervisor'],
  assigned: ['analyst', 'supervisor'],
  escalated: ['analyst', 'supervisor'],
  closed: ['supervisor'],
};

export const allowedTransitions = (state: LifecycleState, role: string): LifecycleState[] =>
  NEXT_STATES[state].filter((to) => to !== 'new' && ROLES_FOR[to].includes(role));

export interface TransitionRequest {
  readonly to: Exclude<LifecycleState, 'new'>;
  readonly assignee?: string;
  readonly disposition?: Disposition;
  readonly reason?: string;
}

export const transition = (alertId: string, request: TransitionRequest): Promise<unknown> =>
  api.post(`/alerts/${encodeURIComponent(alertId)}/transitions`, request);
