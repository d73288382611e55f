/**
 * An accessible modal dialog for the desk (the confirmation before 不予受理 / 办结 and the attachment
 * viewer): role="dialog" with aria-modal, labelled by its title; focus moves into it, Tab and Shift+Tab
 * stay inside it, Esc closes it (cancels), and focus goes back to what had it before. The rest of the
 * page is made inert while it is open.
 */
import type { Localized } from '../../shared/catalog.js';
import { bi, h, type Child } from './dom.js';
import { nextId } from './widgets.js';

export type Modal = {
  box: HTMLDivElement;
  close: () => void;
};

const FOCUSABLE =
  'button:not([disabled]), [href], input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

/** Opens a modal; `onClose` runs once, however it closes (Esc, a button calling `close`). */
export function openModal(opts: {
  title: Localized;
  body: Child;
  className?: string;
  onClose: () => void;
  /** Keys the dialog handles itself (the viewer's arrows); Esc and Tab are handled here. */
  onKey?: (ev: KeyboardEvent) => void;
}): Modal {
  const before = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  const titleId = nextId('modal-title');
  const box = h(
    'div',
    {
      className: `modal ${opts.className ?? ''}`,
      role: 'dialog',
      'aria-modal': 'true',
      'aria-labelledby': titleId,
      tabindex: -1,
    },
    h('h2', { id: titleId }, bi(opts.title)),
    opts.body,
  );
  const backdrop = h('div', { className: 'modal-backdrop' }, box);
  const others = [...document.body.children].filter((el) => el !== backdrop);
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    document.removeEventListener('keydown', onKeydown, true);
    for (const el of others) el.removeAttribute('inert');
    backdrop.remove();
    before?.focus();
    opts.onClose();
  };
  const onKeydown = (ev: KeyboardEvent) => {
    if (ev.key === 'Escape') {
      ev.preventDefault();
      close();
      return;
    }
    if (ev.key === 'Tab') {
      const items = [...box.querySelectorAll<HTMLElement>(FOCUSABLE)].filter((el) => !el.hidden);
      const first = items[0];
      const last = items[items.length - 1];
      if (!first || !last) {
        ev.preventDefault();
        box.focus();
      } else if (ev.shiftKey && (document.activeElement === first || document.activeElement === box)) {
        ev.preventDefault();
        last.focus();
      } else if (!ev.shiftKey && document.activeElement === last) {
        ev.preventDefault();
        first.focus();
      }
      return;
    }
    opts.onKey?.(ev);
  };
  document.addEventListener('keydown', onKeydown, true);
  for (const el of others) el.setAttribute('inert', '');
  document.body.appendChild(backdrop);
  const first =
    box.querySelector<HTMLElement>('[data-autofocus]') ?? box.querySelector<HTMLElement>(FOCUSABLE);
  (first ?? box).focus();
  return { box, close };
}

/**
 * Asks before a step that cannot be taken back: shows what will be sent (the reason, the result and
 * EMS number) and resolves true only on 确认; Esc or 取消 resolve false.
 */
export function confirmStep(opts: {
  title: Localized;
  question: Localized;
  facts: { label: Localized; value: string }[];
  confirm: Localized;
  danger?: boolean;
}): Promise<boolean> {
  return new Promise((resolve) => {
    let answer = false;
    const yes = h(
      'button',
      { type: 'button', className: opts.danger ? 'danger' : '', 'data-confirm': 'yes' },
      bi(opts.confirm),
    );
    const no = h(
      'button',
      { type: 'button', className: 'quiet', 'data-confirm': 'no', 'data-autofocus': true },
      bi({ zh: '取消', en: 'Cancel' }),
    );
    const modal = openModal({
      title: opts.title,
      className: 'confirm',
      body: [
        h('p', null, bi(opts.question)),
        h(
          'dl',
          { className: 'facts' },
          opts.facts.map((f) => [
            h('dt', null, bi(f.label)),
            h('dd', { 'data-testid': 'confirm-value' }, f.value),
          ]),
        ),
        h('div', { className: 'modal-buttons' }, no, yes),
      ],
      onClose: () => resolve(answer),
    });
    yes.addEventListener('click', () => {
      answer = true;
      modal.close();
    });
    no.addEventListener('click', () => modal.close());
  });
}
