/**
 * The desk's recurring pieces: lights (电子监察, follow-up state, kiosk health) as badges in words,
 * colour and a symbol; the status of a case in the contract's words; labelled form fields; fact
 * lists.
 */
import type { Localized } from '../../shared/catalog.js';
import type { CaseLevel } from '../supervision.js';
import { problemText, type Answer } from './api.js';
import { bi, h, later, type Child } from './dom.js';
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

/**
 * One action's form (a case action, a follow-up action): its fields in a fieldset named by the
 * action, a submit button, an error line. On submit it builds the request body (null: something
 * required is missing), sends it with the button disabled, shows a refusal in words on the error
 * line, and hands a success to `done`.
 */
export function actionForm<B, T>(opts: {
  action: string;
  words: Localized;
  danger?: boolean;
  parts: Child[];
  body: () => B | null;
  /** Asked before sending (a confirmation dialog); false sends nothing. */
  confirm?: (body: B) => Promise<boolean>;
  send: (body: B) => Promise<Answer<T>>;
  done: (value: T) => Promise<void>;
}): HTMLFormElement {
  const err = errorLine();
  const button = h(
    'button',
    { type: 'submit', className: opts.danger ? 'danger' : '', 'data-action': opts.action },
    bi(opts.words),
  );
  const form = h(
    'form',
    { 'data-form': opts.action, novalidate: true },
    h('fieldset', null, h('legend', null, bi(opts.words)), opts.parts, button, err),
  );
  form.addEventListener(
    'submit',
    later(async (ev: SubmitEvent) => {
      ev.preventDefault();
      const body = opts.body();
      if (body === null) {
        err.textContent = REQUIRED_MISSING;
        return;
      }
      if (opts.confirm && !(await opts.confirm(body))) return;
      button.disabled = true;
      try {
        const r = await opts.send(body);
        if (!r.ok) {
          err.textContent = problemText(r.error);
          return;
        }
        await opts.done(r.value);
      } finally {
        button.disabled = false;
      }
    }),
  );
  return form;
}
