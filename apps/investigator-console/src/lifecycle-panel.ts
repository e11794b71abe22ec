import { ProblemError } from './api-client';
import { DISPOSITIONS, type Disposition, type LifecycleState } from './api-types';
import { h, labelled, toast } from './dom';
import { t, type MessageKey } from './i18n';
import { allowedTransitions, transition } from './lifecycle';
import { may } from './permissions';
import { session } from './session';
import { statusKey } from './views';

const DISPOSITION_KEYS: Record<Disposition, MessageKey> = {
  'confirmed-mule': 'dispConfirmedMule',
  'confirmed-proceeds': 'dispConfirmedProceeds',
  'false-positive': 'dispFalsePositive',
  duplicate: 'dispDuplicate',
};

/** The lifecycle buttons the signed-in role may use on an alert in `state`; `done` runs after a transition. */
export const lifecyclePanel = (
  alertId: string,
  state: LifecycleState,
  done: (state: LifecycleState) => void,
): HTMLElement => {
  const user = session.user();
  const allowed =
    user && may('POST /alerts/:alertId/transitions') ? allowedTransitions(state, user.role) : [];
  const panel = h('div', { class: 'lifecycle', role: 'group', 'aria-label': t('actions') });
  if (allowed.length === 0) {
    panel.append(h('p', { class: 'muted' }, t('noActions')));
    return panel;
  }
  const run = async (request: Parameters<typeof transition>[1]) => {
    try {
      await transition(alertId, request);
      toast(t('transitionDone', { alertId, state: t(statusKey(request.to)) }));
      done(request.to);
    } catch (error) {
      toast(error instanceof ProblemError ? `${error.title}: ${error.detail}` : String(error), 'error');
    }
  };
  if (allowed.includes('acknowledged')) {
    panel.append(
      h('button', { type: 'button', onclick: () => void run({ to: 'acknowledged' }) }, t('acknowledge')),
    );
  }
  if (allowed.includes('assigned')) {
    const assignee = h('input', { type: 'text', value: user?.sub ?? '', size: 14 });
    panel.append(
      h(
        'div',
        { class: 'inline' },
        labelled(t('assignee'), assignee),
        h(
          'button',
          { type: 'button', onclick: () => void run({ to: 'assigned', assignee: assignee.value.trim() }) },
          t('assign'),
        ),
      ),
    );
  }
  if (allowed.includes('escalated')) {
    panel.append(
      h('button', { type: 'button', onclick: () => void run({ to: 'escalated' }) }, t('escalate')),
    );
  }
  if (allowed.includes('closed')) {
    const disposition = h(
      'select',
      {},
      DISPOSITIONS.map((d) => h('option', { value: d }, t(DISPOSITION_KEYS[d]))),
    );
    const reason = h('input', { type: 'text', size: 24 });
    panel.append(
      h(
        'div',
        { class: 'inline' },
        labelled(t('disposition'), disposition),
        labelled(t('reason'), reason),
        h(
          'button',
          {
            type: 'button',
            onclick: () =>
              void run({
                to: 'closed',
                disposition: disposition.value as Disposition,
                ...(reason.value.trim() ? { reason: reason.value.trim() } : {}),
              }),
          },
          t('close'),
        ),
      ),
    );
  }
  return panel;
};
