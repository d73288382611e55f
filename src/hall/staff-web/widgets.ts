/**
 * The desk's recurring pieces: lights (电子监察, follow-up state, kiosk health) as badges in words,
 * colour and a symbol; the status of a case in the contract's words; labelled form fields; fact
 * lists.
 */
import type { Localized } from '../../shared/catalog.js';
import type { CaseLevel } from '../supervision.js';
import { bi, h, type Child } from './dom.js';
import { LEVEL_LIGHTS, statusWords, type Light } from './format.js';

export const badge = (level: CaseLevel, words: Localized, icon: string): HTMLSpanElement =>
  h('span', { className: `badge lv-${level}`, 'data-icon': icon, 'data-level': level }, bi(words));

export const lightBadge = (light: Light): HTMLSpanElement => badge(light.level, light.words, light.icon);

export const levelBadge = (level: CaseLevel): HTMLSpanElement => lightBadge(LEVEL_LIGHTS[level]);

/** A case status in the contract's words, tagged with the status for tests and styles. */
export const statusText = (status: string): HTMLSpanElement =>
  h('span', { className: 'st', 'data-status': status }, bi(statusWords(status)));

let uid = 0;
/** A fresh element id, so every form field has a label bound to it. */
export function nextId(prefix: string): string {
  uid += 1;
  return `${prefix}-${uid}`;
}

/** A label bound to its input. */
export const field = (label: Localized, input: HTMLElement): Child[] => [
  h('label', { for: input.id }, bi(label)),
  input,
];

/** A definition list of facts, filled with `fact`. */
export function factList(): { list: HTMLDListElement; fact: (label: Localized, value: Child) => void } {
  const list = h('dl', { className: 'facts' });
  const fact = (label: Localized, value: Child): void => {
    list.appendChild(h('dt', null, bi(label)));
    list.appendChild(h('dd', null, value));
  };
  return { list, fact };
}

/** A form's error line (announced). */
export const errorLine = (): HTMLParagraphElement => h('p', { className: 'error', role: 'alert' });

export const REQUIRED_MISSING = '请填写必填内容 (required information missing)';
