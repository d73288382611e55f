/**
 * Small pieces the apply steps share: the step's heading, the action row, the masked identity chip,
 * a text field typed with the on-screen keyboard, a choice field of big option buttons, and the
 * keyboard docked at the bottom of the screen while a field is being typed into.
 */
import { useId, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { FieldProblem, MaskedIdentity, SessionView } from '../../../shared/browser.js';
import { Icon } from '../../components/icon.js';
import { OnScreenKeyboard } from '../../components/keyboard/on-screen-keyboard.js';
import type { KeyboardLayout } from '../../lib/keyboard-state.js';
import './apply.css';

/**
 * Brings a field to the top of the screen's scroll area (above the docked keyboard). Only the
 * scroll area moves: scrollIntoView would also shift the fixed kiosk frame (masthead, bar).
 */
export function scrollToField(root: Element | null, key: string): void {
  const el = root?.querySelector(`[data-field="${key}"]`);
  const scroller = el?.closest('.content');
  if (!el || !scroller) return;
  const top = el.getBoundingClientRect().top - scroller.getBoundingClientRect().top + scroller.scrollTop;
  scroller.scrollTo({ top: Math.max(0, top - 16) });
}

export function StepHead({
  title,
  intro,
  children,
}: {
  title: string;
  intro?: string;
  children?: ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <header className="screen-head apply-head">
      <p className="screen-kicker">{t('applyFlow.title')}</p>
      <h2 className="screen-title" data-testid="step-title">
        {title}
      </h2>
      {intro && <p className="screen-intro">{intro}</p>}
      {children}
    </header>
  );
}

export function Actions({ children }: { children: ReactNode }) {
  return <div className="apply-actions">{children}</div>;
}

export function NextButton({
  onClick,
  label,
  disabled = false,
  testId = 'apply-next',
}: {
  onClick: () => void;
  label?: string;
  disabled?: boolean;
  testId?: string;
}) {
  const { t } = useTranslation();
  return (
    <button
      type="button"
      className="btn btn-primary btn-big apply-next"
      onClick={onClick}
      disabled={disabled}
      data-testid={testId}
    >
      {label ?? t('applyFlow.next')}
      <Icon name="next" />
    </button>
  );
}

function Person({ role, who }: { role: 'applicant' | 'helper'; who: MaskedIdentity }) {
  const { t } = useTranslation();
  return (
    <span className="id-chip-person" data-role={role}>
      <span className="id-chip-role">{t(`applyFlow.identity.${role}`)}</span>
      <span className="id-chip-name">{who.nameMasked}</span>
      <span className="id-chip-id">{who.idMasked}</span>
    </span>
  );
}

/** Who is applying, masked (张*三 / 6101**********1234), for the rest of the flow. */
export function IdentityChip({ session }: { session: SessionView }) {
  const { t } = useTranslation();
  if (!session.applicant) return null;
  return (
    <p className="id-chip" data-testid="identity-chip" aria-label={t('applyFlow.identity.label')}>
      <Icon name="idcard" />
      {session.helper && <Person role="helper" who={session.helper} />}
      <Person role="applicant" who={session.applicant} />
    </p>
  );
}

export function FieldError({ id, problem }: { id: string; problem: FieldProblem }) {
  const { t } = useTranslation();
  return (
    <p id={id} className="field-error" data-testid="field-error" data-problem={problem}>
      <Icon name="warning" />
      <span>{t(`applyFlow.form.problems.${problem}`)}</span>
    </p>
  );
}

function RequiredMark() {
  const { t } = useTranslation();
  return (
    <>
      <span className="field-req" aria-hidden="true">
        *
      </span>
      <span className="visually-hidden">（{t('applyFlow.form.required')}）</span>
    </>
  );
}

export type TextFieldProps = {
  name: string;
  label: string;
  required: boolean;
  value: string;
  hint?: string | undefined;
  note?: string | undefined;
  problem: FieldProblem | null;
  active: boolean;
  multiline?: boolean;
  onActivate: () => void;
  onChange: (value: string) => void;
};

/** A field typed on the on-screen keyboard: tapping it docks the keyboard for it. */
export function TextField({
  name,
  label,
  required,
  value,
  hint,
  note,
  problem,
  active,
  multiline = false,
  onActivate,
  onChange,
}: TextFieldProps) {
  const id = useId();
  const describedBy =
    [hint || note ? `${id}-hint` : '', problem ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  const common = {
    id,
    className: `field-input${active ? ' is-active' : ''}${problem ? ' is-invalid' : ''}`,
    // Our keyboard, not the system's: it must not pop up over the kiosk's own.
    inputMode: 'none' as const,
    autoComplete: 'off',
    spellCheck: false,
    value,
    'aria-invalid': problem !== null,
    'aria-describedby': describedBy,
    onFocus: onActivate,
    onClick: onActivate,
    'data-field-input': name,
  };
  return (
    <div className={`field${problem ? ' field-invalid' : ''}`} data-field={name}>
      <label htmlFor={id} className="field-label">
        {label}
        {required && <RequiredMark />}
      </label>
      {(hint || note) && (
        <p id={`${id}-hint`} className="field-hint">
          {[note, hint].filter(Boolean).join('；')}
        </p>
      )}
      {multiline ? (
        <textarea {...common} rows={3} onChange={(e) => onChange(e.target.value)} />
      ) : (
        <input {...common} type="text" onChange={(e) => onChange(e.target.value)} />
      )}
      {problem && <FieldError id={`${id}-error`} problem={problem} />}
    </div>
  );
}

/** A read-only value from the ID card (name, ID number): shown masked, with a lock. */
export function LockedField({
  name,
  label,
  value,
  hint,
}: {
  name: string;
  label: string;
  value: string;
  hint?: string;
}) {
  const { t } = useTranslation();
  return (
    <div className="field field-locked" data-field={name} data-locked="true">
      <p className="field-label">{label}</p>
      <p className="field-locked-value">
        <Icon name="lock" />
        <span className="field-locked-text">{value}</span>
        <span className="badge badge-plain">{t('applyFlow.form.lockedBadge')}</span>
      </p>
      <p className="field-hint">{hint ?? t('applyFlow.form.locked')}</p>
    </div>
  );
}

/** Options as big buttons (one pressed), never a tiny drop-down. */
export function ChoiceField({
  name,
  label,
  required,
  options,
  value,
  hint,
  problem,
  onChange,
}: {
  name: string;
  label: string;
  required: boolean;
  options: { value: string; label: string }[];
  value: string;
  hint?: string | undefined;
  problem: FieldProblem | null;
  onChange: (value: string) => void;
}) {
  const id = useId();
  return (
    <fieldset
      className={`field field-choice${problem ? ' field-invalid' : ''}`}
      data-field={name}
      aria-describedby={problem ? `${id}-error` : undefined}
    >
      <legend className="field-label">
        {label}
        {required && <RequiredMark />}
      </legend>
      {hint && <p className="field-hint">{hint}</p>}
      <div className="field-options">
        {options.map((o) => (
          <button
            key={o.value}
            type="button"
            className="btn field-option"
            aria-pressed={value === o.value}
            data-value={o.value}
            onClick={() => onChange(o.value)}
          >
            <span className="field-option-mark" aria-hidden="true">
              {value === o.value && <Icon name="ready" />}
            </span>
            <span className="field-option-label">{o.label}</span>
          </button>
        ))}
      </div>
      {problem && <FieldError id={`${id}-error`} problem={problem} />}
    </fieldset>
  );
}

/** The one keyboard of a screen, docked at the bottom, typing into the field the resident tapped. */
export function DockedKeyboard({
  fieldKey,
  label,
  value,
  layouts,
  upper,
  maxLength,
  onChange,
  onDone,
}: {
  fieldKey: string;
  label: string;
  value: string;
  layouts: readonly KeyboardLayout[];
  /** Codes: letters in capitals from the first key. */
  upper?: boolean;
  maxLength?: number | undefined;
  onChange: (value: string) => void;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  return (
    <div className="apply-keyboard" data-testid="docked-keyboard" data-for={fieldKey}>
      <p className="apply-keyboard-for">
        <Icon name="edit" />
        <span>{t('applyFlow.form.keyboardFor', { label })}</span>
        {/* What is being typed, also when the field itself is scrolled out of sight. */}
        <span className="apply-keyboard-value" aria-hidden="true">
          {value}
        </span>
      </p>
      {/* A new keyboard per field: its layout and pinyin buffer belong to the field it types into. */}
      <OnScreenKeyboard
        key={fieldKey}
        value={value}
        onChange={onChange}
        layouts={layouts}
        upper={upper}
        maxLength={maxLength}
        onDone={onDone}
        label={label}
      />
    </div>
  );
}
