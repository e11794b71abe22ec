import type { InboxState } from '@scamflow/graph';
import { LIFECYCLE, type Disposition, type Role } from '@scamflow/contracts';

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

const optional = (fields: Record<string, string | undefined>): Record<string, string> =>
  Object.fromEntries(Object.entries(fields).filter((e): e is [string, string] => e[1] !== undefined));

/**
 * Decides a transition by the shared lifecycle table (`LIFECYCLE` in libs/contracts): where it leads and what it
 * records, or why it is refused (403 role, 409 state).
 */
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
