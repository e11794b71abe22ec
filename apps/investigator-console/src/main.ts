import { setUnauthorizedHandler } from './api-client';
import { append, clear, h, labelled } from './dom';
import { prefs, t } from './i18n';
import { renderAlert } from './pages/alert-view';
import { renderCase } from './pages/case-view';
import { renderGraphExplorer } from './pages/graph-explorer';
import { renderInbox } from './pages/inbox';
import { renderSignIn } from './pages/sign-in';
import { may } from './permissions';
import { navigate, parseRoute, RERENDER, type Page } from './router';
import { session } from './session';

const header = document.getElementById('app-header') as HTMLElement;
const main = document.getElementById('main') as HTMLElement;
let stop: (() => void) | void;

const drawHeader = (): void => {
  clear(header);
  const user = session.user();
  const language = h(
    'select',
    {
      onchange: (event: Event) => {
        prefs.setLocale((event.target as HTMLSelectElement).value === 'th' ? 'th' : 'en');
        render();
      },
    },
    h('option', { value: 'en', selected: prefs.locale() === 'en' }, 'English'),
    h('option', { value: 'th', selected: prefs.locale() === 'th' }, 'ไทย'),
  );
  const zone = h(
    'select',
    {
      onchange: (event: Event) => {
        prefs.setTimeZone((event.target as HTMLSelectElement).value);
        render();
      },
    },
    h('option', { value: 'Asia/Bangkok', selected: prefs.timeZone() === 'Asia/Bangkok' }, t('tzBangkok')),
    h('option', { value: 'UTC', selected: prefs.timeZone() === 'UTC' }, t('tzUtc')),
  );
  append(
    header,
    h('span', { class: 'brand' }, t('appTitle')),
    user
      ? h(
          'nav',
          { 'aria-label': t('appTitle') },
          may('GET /alerts') ? h('a', { href: '#/inbox' }, t('navInbox')) : null,
          may('GET /accounts/:accountKey/trace') ? h('a', { href: '#/graph' }, t('navGraph')) : null,
          may('GET /cases/:caseId') ? h('a', { href: '#/cases' }, t('navCase')) : null,
        )
      : null,
    h('div', { class: 'header-controls' }, labelled(t('language'), language), labelled(t('timeZone'), zone)),
    user
      ? h(
          'div',
          { class: 'who' },
          h('span', {}, t('signedInAs', { sub: user.sub, role: user.role })),
          user.institutionId ? h('span', { class: 'inst' }, ` · ${user.institutionId}`) : null,
          h(
            'button',
            {
              type: 'button',
              onclick: () => {
                session.signOut();
                navigate('#/sign-in');
              },
            },
            t('signOut'),
          ),
        )
      : null,
  );
};

const PAGES: Record<string, Page> = {
  'sign-in': renderSignIn,
  inbox: renderInbox,
  alerts: renderAlert,
  graph: renderGraphExplorer,
  cases: renderCase,
};

function render(): void {
  if (typeof stop === 'function') stop();
  stop = undefined;
  document.documentElement.lang = prefs.locale();
  document.title = t('appTitle');
  const route = parseRoute();
  const signedIn = session.user() !== undefined;
  const name = !signedIn ? 'sign-in' : route.path[0] && PAGES[route.path[0]] ? route.path[0] : 'inbox';
  if (!signedIn && route.path[0] !== 'sign-in') {
    sessionStorage.setItem('scamflow.console.after', location.hash);
  }
  drawHeader();
  clear(main);
  const page = PAGES[name] as Page;
  stop = page(main, route);
}

setUnauthorizedHandler(() => {
  session.signOut();
  navigate('#/sign-in');
});
window.addEventListener('hashchange', render);
window.addEventListener(RERENDER, render);
render();
