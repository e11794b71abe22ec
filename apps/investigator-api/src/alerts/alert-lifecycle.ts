import type { InboxState } from '@scamflow/graph';
import type { Role } from '../auth/role';

export const INBOX_STATES = [
  'new',
  'acknowledged',
  'assigned',
  'escalated',
  'closed',
] as const satisfies readonly InboxState[];

export const DISPOSITIONS = ['confirmed-mule', 'confirmed-proceeds', 'false-positive', 'duplicate'] as const;
export type Disposition = (typeof DISPOSITIONS)[number];

export type LifecycleCommand =
  | { readonly action: 'acknowledge'; readonly note?: string }
  | { readonly action: 'assign'; readonly assignee: string; readonly note?: string }
  | { readonly action: 'escalate'; readonly strReference?: string; readonly note?: string }
  | {
      readonly action: 'close';
      readonly disposition: Disposition;
      readonly reason?: string;
      readonly duplicateOf?: string;
      readonly note?: string;
    };
export type LifecycleAction = LifecycleCommand['action'];

interface ActionRule {
  readonly from: readonly InboxState[];
  readonly to: InboxState;
  readonly roles: readonly Role[];
}

/**
 * The inbox lifecycle: new → acknowledged → assigned → escalated (STR drafted) → closed. Analysts work an alert
 * up to escalation; closing is a supervisor's decision. A false positive or a duplicate may be closed before
 * escalation (no STR is drafted for them); confirming a mule or proceeds needs the STR drafted first.
 */
export const LIFECYCLE: Readonly<Record<LifecycleAction, ActionRule>> = {
  acknowledge: { from: ['new'], to: 'acknowledged', roles: ['analyst', 'supervisor'] },
  assign: { from: ['acknowledged', 'assigned'], to: 'assigned', roles: ['analyst', 'supervisor'] },
  escalate: { from: ['assigned'], to: 'escalated', roles: ['analyst', 'supervisor'] },
  close: { from: ['acknowledged', 'assigned', 'escalated'], to: 'closed', roles: ['supervisor'] },
};

const CONFIRMATIONS_NEED: readonly InboxState[] = ['escalated'];

export type TransitionPlan =
  | {
      readonly ok: true;
      readonly from: InboxState;
      readonly to: InboxState;
      /** Written on the alert. */
      readonly stateFields: Readonly<Record<string, string | null>>;
      /** Written on the transition record. */
      readonly transitionFields: Readonly<Record<string, string>>;
    }
  | { readonly ok: false; readonly status: 403 | 409; readonly detail: string };

/** Actions `role` may take on an alert in `state` (for clients to show the right buttons). */
export const allowedActions = (state: InboxState, role: Role): LifecycleAction[] =>
  (Object.keys(LIFECYCLE) as LifecycleAction[]).filter((action) => {
    const rule = LIFECYCLE[action];
    return rule.from.includes(state) && rule.roles.includes(role);
  });

const optional = (fields: Record<string, string | undefined>): Record<string, string> =>
  Object.fromEntries(Object.entries(fields).filter((e): e is [string, string] => e[1] !== undefined));

/** Decides a transition: where it leads and what it records, or why it is refused (403 role, 409 state). */
export const planTransition = (state: InboxState, command: LifecycleCommand, role: Role): TransitionPlan => {
  const rule = LIFECYCLE[command.action];
  if (!rule.roles.includes(role)) {
    return { ok: false, status: 403, detail: `role ${role} may not ${command.action} an alert` };
  }
  if (!rule.from.includes(state)) {
    return {
      ok: false,
      status: 409,
      detail: `cannot ${command.action} an alert that is ${state} (allowed from: ${rule.from.join(', ')})`,
    };
  }
  const note = optional({ note: command.note });
  switch (command.action) {
    case 'acknowledge':
      return { ok: true, from: state, to: rule.to, stateFields: {}, transitionFields: note };
    case 'assign':
      return {
        ok: true,
        from: state,
        to: rule.to,
        stateFields: { assignee: command.assignee },
        transitionFields: { ...note, assignee: command.assignee },
      };
    case 'escalate':
      return {
        ok: true,
        from: state,
        to: rule.to,
        stateFields: { strReference: command.strReference ?? null },
        transitionFields: { ...note, ...optional({ strReference: command.strReference }) },
      };
    case 'close': {
      const confirms =
        command.disposition === 'confirmed-mule' || command.disposition === 'confirmed-proceeds';
      if (confirms && !CONFIRMATIONS_NEED.includes(state)) {
        return {
          ok: false,
          status: 409,
          detail: `closing as ${command.disposition} needs the alert escalated (STR drafted) first; it is ${state}`,
        };
      }
      const details = optional({ reason: command.reason, duplicateOf: command.duplicateOf });
      return {
        ok: true,
        from: state,
        to: rule.to,
        stateFields: {
          disposition: command.disposition,
          dispositionReason: command.reason ?? null,
          duplicateOf: command.duplicateOf ?? null,
        },
        transitionFields: { ...note, disposition: command.disposition, ...details },
      };
    }
  }
};
