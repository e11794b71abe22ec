/** Tiny element builder: text is always set as text (never parsed as HTML), so alert data cannot inject markup. */
type Child = Node | string | number | null | undefined | false;
type Attrs = Record<string, string | number | boolean | null | undefined | EventListener>;

export const h = <K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: (Child | Child[])[]
): HTMLElementTagNameMap[K] => {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (typeof value === 'function') el.addEventListener(name.replace(/^on/, '').toLowerCase(), value);
    else if (value === true) el.setAttribute(name, '');
    else el.setAttribute(name, String(value));
  }
  append(el, ...children);
  return el;
};

export const append = (el: Element, ...children: (Child | Child[])[]): void => {
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : String(child));
  }
};

export const clear = (el: Element): void => {
  while (el.firstChild) el.removeChild(el.firstChild);
};

let labelSeq = 0;
/** A control with a visible <label for>, so every input has an accessible name. */
export const labelled = <E extends HTMLElement>(text: string, control: E, hint?: string): HTMLElement => {
  if (!control.id) control.id = `ctl-${++labelSeq}`;
  return h(
    'div',
    { class: 'field' },
    h('label', { for: control.id }, text),
    control,
    hint ? h('small', { class: 'hint' }, hint) : null,
  );
};

export const toast = (message: string, kind: 'info' | 'error' = 'info'): void => {
  const box = document.getElementById('toast');
  if (!box) return;
  box.className = kind;
  box.textContent = message;
  window.setTimeout(() => {
    if (box.textContent === message) box.textContent = '';
  }, 6000);
};
