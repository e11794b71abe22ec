/**
 * The inbox lifecycle as the API enforces it (apps/investigator-api/src/alerts/alert-lifecycle.ts), mirrored so
 * the inbox can offer the right buttons per row without reading each alert; a spec beside the API's table
 * keeps the two equal. The alert view uses the API's own `allowedActions`.
 */
export const LIFECYCLE_ACTIONS = ['acknowledge', 'assign', 'escalate', 'close'] as const;
export type LifecycleAction = (typeof LIFECYCLE_ACTIONS)[number];

const RULES: Record<LifecycleAction, { from: readonly string[]; to: string; roles: readonly string[] }> = {
  acknowledge: { from: ['new'], to: 'acknowledged', roles: ['analyst', 'supervisor'] },
  assign: { from: ['acknowledged', 'assigned'], to: 'assigned', roles: ['analyst', 'supervisor'] },
  escalate: { from: ['assigned'], to: 'escalated', roles: ['analyst', 'supervisor'] },
  close: { from: ['acknowledged', 'assigned', 'escalated'], to: 'closed', roles: ['supervisor'] },
};

export const allowedActionsFor = (state: string, role: string): LifecycleAction[] =>
  LIFECYCLE_ACTIONS.filter(
    (action) => RULES[action].from.includes(state) && RULES[action].roles.includes(role),
  );

export const stateAfter = (action: LifecycleAction): string => RULES[action].to;
