import { LIFECYCLE, type LifecycleActionName } from '@scamflow/contracts';
import { ProblemError } from './api-client';
import { DISPOSITIONS, type Disposition } from './api-types';
import { h, labelled, toast } from './dom';
import { t, type MessageKey } from './i18n';
import { transition, type LifecycleCommand } from './lifecycle';
import { may } from './permissions';
import { session } from './session';
import { statusKey } from './views';

const DISPOSITION_KEYS: Record<Disposition, MessageKey> = {
  'confirmed-mule': 'dispConfirmedMule',
  'confirmed-proceeds': 'dispConfirmedProceeds',
  'false-positive': 'dispFalsePositive',
  duplicate: 'dispDuplicate',
};

/** The lifecycle buttons for `allowed` actions on an alert; `done` runs after a transition succeeded. */
export const lifecyclePanel = (
  alertId: string,
  allowed: readonly LifecycleActionName[],
  done: () => void,
): HTMLElement => {
  const panel = h('div', { class: 'lifecycle', role: 'group', 'aria-label': t('actions') });
  if (!may('POST /alerts/:alertId/transitions') || allowed.length === 0) {
    panel.append(h('p', { class: 'muted' }, t('noActions')));
    return panel;
  }
  const run = async (command: LifecycleCommand) => {
    try {
      await transition(alertId, command);
      toast(t('transitionDone', { alertId, state: t(statusKey(LIFECYCLE[command.action].to)) }));
      done();
    } catch (error) {
      toast(error instanceof ProblemError ? `${error.title}: ${error.detail}` : String(error), 'error');
    }
  };
  if (allowed.includes('acknowledge')) {
    panel.append(
      h('button', { type: 'button', onclick: () => void run({ action: 'acknowledge' }) }, t('acknowledge')),
    );
  }
  if (allowed.includes('assign')) {
    const assignee = h('input', { type: 'text', value: session.user()?.sub ?? '', size: 14 });
    panel.append(
      h(
        'div',
        { class: 'inline' },
        labelled(t('assignee'), assignee),
        h(
          'button',
          { type: 'button', onclick: () => void run({ action: 'assign', assignee: assignee.value.trim() }) },
          t('assign'),
        ),
      ),
    );
  }
  if (allowed.includes('escalate')) {
    panel.append(
      h('button', { type: 'button', onclick: () => void run({ action: 'escalate' }) }, t('escalate')),
    );
  }
  if (allowed.includes('close')) {
    const disposition = h(
      'select',
      {},
      DISPOSITIONS.map((d) => h('option', { value: d }, t(DISPOSITION_KEYS[d]))),
    );
    const reason = h('input', { type: 'text', size: 24 });
    const duplicateOf = h('input', { type: 'text', size: 18 });
    panel.append(
      h(
        'div',
        { class: 'inline' },
        labelled(t('disposition'), disposition),
        labelled(t('reason'), reason),
        labelled(t('duplicateOf'), duplicateOf),
        h(
          'button',
          {
            type: 'button',
            onclick: () =>
              void run({
                action: 'close',
                disposition: disposition.value as Disposition,
                ...(reason.value.trim() ? { reason: reason.value.trim() } : {}),
                ...(duplicateOf.value.trim() ? { duplicateOf: duplicateOf.value.trim() } : {}),
              }),
          },
          t('close'),
        ),
      ),
    );
  }
  return panel;
};
