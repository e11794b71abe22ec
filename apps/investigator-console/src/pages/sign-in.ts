import { h, labelled } from '../dom';
import { t } from '../i18n';
import { navigate, type Page } from '../router';
import { session } from '../session';

export const renderSignIn: Page = (main) => {
  const input = h('textarea', {
    rows: 4,
    cols: 60,
    required: true,
    spellcheck: 'false',
    autocomplete: 'off',
  });
  const message = h('p', { class: 'problem', role: 'alert' });
  const form = h(
    'form',
    {
      class: 'sign-in',
      onsubmit: (event: Event) => {
        event.preventDefault();
        if (!session.signIn(input.value)) {
          message.textContent = t('badToken');
          return;
        }
        const after = sessionStorage.getItem('scamflow.console.after');
        sessionStorage.removeItem('scamflow.console.after');
        navigate(after && !after.startsWith('#/sign-in') ? after : '#/inbox');
      },
    },
    h('h1', {}, t('signInTitle')),
    h('p', {}, t('signInHelp')),
    labelled(t('token'), input),
    message,
    h('button', { type: 'submit' }, t('signIn')),
  );
  main.append(form);
  input.focus();
};
