/**
 * An accessible modal dialog for the desk (the confirmation before 不予受理 / 办结 and the attachment
 * viewer): role="dialog" with aria-modal, labelled by its title, drawn over the page through a portal.
 * Focus moves into it (to the element marked data-autofocus, else the first control), Tab and
 * Shift+Tab stay inside it, Esc closes it (cancels), and focus goes back to what had it before. The
 * rest of the page is made inert while it is open.
 */
import { Fragment, useEffect, useId, useRef, type ReactNode } from 'react';
import { createPortal } from 'react-dom';
import { useDeskText } from './desk-i18n.js';

const FOCUSABLE =
  'button:not([disabled]), [href], input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

/** Where Tab goes from `current` among a dialog's controls (wrapping round), or null to let it be. */
export function trapTab<T>(items: readonly T[], current: T | null, back: boolean): T | null {
  const first = items[0];
  const last = items[items.length - 1];
  if (first === undefined || last === undefined) return null;
  const at = current === null ? -1 : items.indexOf(current);
  if (back && at <= 0) return last;
  if (!back && (at === -1 || at === items.length - 1)) return first;
  return null;
}

export function Modal(props: {
  title: string;
  className?: string;
  /** Esc, or a button of the dialog that cancels. */
  onClose: () => void;
  /** Keys the dialog handles itself (the viewer's arrows); Esc and Tab are handled here. */
  onKey?: (ev: KeyboardEvent) => void;
  children: ReactNode;
}): ReactNode {
  const { language } = useDeskText();
  const titleId = useId();
  const boxRef = useRef<HTMLDivElement>(null);
  const backdropRef = useRef<HTMLDivElement>(null);
  // The latest handlers, for the one key listener installed while the dialog is open.
  const handlers = useRef({ onClose: props.onClose, onKey: props.onKey });
  useEffect(() => {
    handlers.current = { onClose: props.onClose, onKey: props.onKey };
  });

  useEffect(() => {
    const before = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const box = boxRef.current;
    const backdrop = backdropRef.current;
    const others = [...document.body.children].filter((el) => el !== backdrop);
    for (const el of others) el.setAttribute('inert', '');
    const onKeydown = (ev: KeyboardEvent): void => {
      if (!box) return;
      if (ev.key === 'Escape') {
        ev.preventDefault();
        handlers.current.onClose();
        return;
      }
      if (ev.key === 'Tab') {
        const items = [...box.querySelectorAll<HTMLElement>(FOCUSABLE)].filter((el) => !el.hidden);
        const active = document.activeElement instanceof HTMLElement ? document.activeElement : null;
        if (items.length === 0) {
          ev.preventDefault();
          box.focus();
          return;
        }
        const to = trapTab(items, active !== null && items.includes(active) ? active : null, ev.shiftKey);
        if (to !== null) {
          ev.preventDefault();
          to.focus();
        }
        return;
      }
      handlers.current.onKey?.(ev);
    };
    document.addEventListener('keydown', onKeydown, true);
    const first =
      box?.querySelector<HTMLElement>('[data-autofocus]') ?? box?.querySelector<HTMLElement>(FOCUSABLE);
    (first ?? box)?.focus();
    return () => {
      document.removeEventListener('keydown', onKeydown, true);
      for (const el of others) el.removeAttribute('inert');
      if (before?.isConnected) before.focus();
    };
  }, []);

  return createPortal(
    <div className="modal-backdrop" ref={backdropRef} lang={language}>
      <div
        ref={boxRef}
        className={`modal ${props.className ?? ''}`}
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        tabIndex={-1}
      >
        <h2 id={titleId}>{props.title}</h2>
        {props.children}
      </div>
    </div>,
    document.body,
  );
}

/**
 * Asks before a step that cannot be taken back: shows what will be sent (the reason, the result and
 * EMS number) and calls `onAnswer(true)` only on 确认; Esc or 取消 answer false.
 */
export function ConfirmDialog(props: {
  title: string;
  question: string;
  facts: { label: string; value: string }[];
  confirm: string;
  danger?: boolean;
  onAnswer: (yes: boolean) => void;
}): ReactNode {
  const { t } = useDeskText();
  return (
    <Modal title={props.title} className="confirm" onClose={() => props.onAnswer(false)}>
      <p>{props.question}</p>
      <dl className="facts">
        {props.facts.map((f) => (
          <Fragment key={f.label}>
            <dt>{f.label}</dt>
            <dd data-testid="confirm-value">{f.value}</dd>
          </Fragment>
        ))}
      </dl>
      <div className="modal-buttons">
        <button
          type="button"
          className="quiet"
          data-confirm="no"
          data-autofocus
          onClick={() => props.onAnswer(false)}
        >
          {t('dialog.cancel')}
        </button>
        <button
          type="button"
          className={props.danger ? 'danger' : ''}
          data-confirm="yes"
          onClick={() => props.onAnswer(true)}
        >
          {props.confirm}
        </button>
      </div>
    </Modal>
  );
}
