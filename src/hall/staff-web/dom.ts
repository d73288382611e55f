/**
 * The few DOM helpers the staff desk draws with. Everything shown is set as text or built as
 * elements — never HTML from data — so nothing a kiosk sends can become markup on the desk.
 */
import type { Localized } from '../../shared/catalog.js';

/** Text, an element, or (nested) lists of them; null, undefined and false draw nothing. */
export type Child = string | Node | null | undefined | false | readonly Child[];

/** Attributes by name (`className` sets `class`); true sets an empty attribute, null/undefined/false none. */
export type Attrs = Record<string, string | number | boolean | null | undefined>;

/** h('td', { className: 'mono' }, 'text', node, …). */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs?: Attrs | null,
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    el.setAttribute(name === 'className' ? 'class' : name, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

export function append(el: Node, child: Child): void {
  if (child === null || child === undefined || child === false) return;
  if (typeof child === 'string') el.appendChild(document.createTextNode(child));
  else if (child instanceof Node) el.appendChild(child);
  else for (const c of child) append(el, c);
}

export function clear(el: Node): void {
  while (el.firstChild) el.removeChild(el.firstChild);
}

/** The Chinese words with the English after them in smaller type. */
export const bi = (words: Localized): Child[] => [`${words.zh} `, h('small', { lang: 'en' }, words.en)];

/**
 * An element of the page by id, checked to be of the expected kind: the page's HTML and this script
 * ship together, so a missing or different element is a bug and throws.
 */
export function byId<T extends HTMLElement>(id: string, kind: { new (): T; prototype: T }): T {
  const el = document.getElementById(id);
  if (!(el instanceof kind)) throw new Error(`staff page: #${id} is missing or not a ${kind.name}`);
  return el;
}

/** Runs an async handler from an event listener; the handlers report their own failures. */
export const later =
  <A extends unknown[]>(fn: (...args: A) => Promise<unknown>) =>
  (...args: A): void => {
    void fn(...args);
  };
