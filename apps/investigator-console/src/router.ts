/** A page draws into <main> and returns what to stop (streams, timers) when the user leaves it. */
export type Page = (main: HTMLElement, route: Route) => (() => void) | void;
export interface Route {
  readonly path: string[];
  readonly query: URLSearchParams;
}

export const parseRoute = (): Route => {
  const [path = '', query = ''] = location.hash.replace(/^#\/?/, '').split('?');
  return { path: path.split('/').filter(Boolean).map(decodeURIComponent), query: new URLSearchParams(query) };
};

export const RERENDER = 'console:rerender';

/** Goes to a hash route; going to the current one draws it again. */
export const navigate = (hash: string): void => {
  if (location.hash === hash) window.dispatchEvent(new Event(RERENDER));
  else location.hash = hash;
};

export const hrefOf = (...parts: string[]): string => `#/${parts.map(encodeURIComponent).join('/')}`;
