/**
 * One key of the on-screen keyboard. Pressing it must not move focus: the field being typed into
 * keeps its caret (and a screen reader its place), so the pointer's default action — focusing the
 * button — is cancelled; click still fires, and so do Enter and Space for switch or keyboard access.
 */
import type { MouseEvent, PointerEvent, ReactNode } from 'react';

const keepFocus = (e: PointerEvent | MouseEvent): void => e.preventDefault();

export type KeyProps = {
  onPress: () => void;
  children: ReactNode;
  /** Extra classes: osk-fn, osk-primary, osk-span-N … */
  className?: string;
  pressed?: boolean;
  disabled?: boolean;
  /** data-key, for tests and for telling keys apart in the DOM. */
  name: string;
  lang?: string;
};

export function Key({ onPress, children, className, pressed, disabled = false, name, lang }: KeyProps) {
  return (
    <button
      type="button"
      className={className ? `osk-key ${className}` : 'osk-key'}
      aria-pressed={pressed}
      disabled={disabled}
      data-key={name}
      lang={lang}
      onPointerDown={keepFocus}
      onMouseDown={keepFocus}
      onClick={onPress}
    >
      {children}
    </button>
  );
}
