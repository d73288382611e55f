/**
 * One comprehensive window (一窗受理) as a large touch tile: its queue letter, name, description and
 * whatever the screen adds (item count, people waiting, a spinner). The same tile in 办事指南, in
 * 我要办事's find step and in 排队取号, so a resident recognises the window everywhere.
 */
import type { ButtonHTMLAttributes, ReactNode } from 'react';
import { Icon } from '../icon.js';

export type WindowTileProps = Omit<ButtonHTMLAttributes<HTMLButtonElement>, 'type' | 'className'> & {
  /** The queue letter (A, B, …) or an icon. */
  letter: ReactNode;
  name: string;
  description?: string;
  /** Screen-specific lines under the name. */
  children?: ReactNode;
  /** In place of the chevron (e.g. "taking a number…"). */
  trailing?: ReactNode;
  /** A variant's class next to window-card (window-card-bundle, queue-window). */
  variant?: string;
  'data-window': string;
};

export function WindowTile({
  letter,
  name,
  description,
  children,
  trailing,
  variant,
  ...button
}: WindowTileProps) {
  return (
    <button type="button" className={variant ? `window-card ${variant}` : 'window-card'} {...button}>
      <span className="window-letter" aria-hidden="true">
        {letter}
      </span>
      <span className="window-text">
        <span className="window-name">{name}</span>
        {description && <span className="window-desc">{description}</span>}
        {children}
      </span>
      {trailing ?? <Icon name="next" className="chevron" />}
    </button>
  );
}
