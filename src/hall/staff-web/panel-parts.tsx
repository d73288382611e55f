/**
 * Small pieces the desk's React views share: a light as a badge (words, colour and a symbol), and
 * the desk's data table (scrolling box, caption, column heads, one "nothing here" row).
 */
import type { ReactNode } from 'react';
import { inLanguage, type DeskLanguage } from './desk-i18n.js';
import type { Light } from './format.js';

export function LightBadge({ light, language }: { light: Light; language: DeskLanguage }): ReactNode {
  return (
    <span className={`badge lv-${light.level}`} data-icon={light.icon} data-level={light.level}>
      {inLanguage(light.words, language)}
    </span>
  );
}

/**
 * A table of the desk (`table.grid` in a sideways-scrolling box): its caption, a head cell per column
 * (scope=col), and, when `empty` is given, one row saying so across every column. The body rows are
 * the children.
 */
export function GridTable(props: {
  id?: string;
  testId?: string;
  className?: string;
  caption: ReactNode;
  columns: readonly ReactNode[];
  /** The words of the one row shown instead of data (null: none, e.g. rows, or not loaded yet). */
  empty: string | null;
  children: ReactNode;
}): ReactNode {
  return (
    <div className="table-scroll">
      <table
        id={props.id}
        className={props.className ? `grid ${props.className}` : 'grid'}
        data-testid={props.testId}
      >
        <caption>{props.caption}</caption>
        <thead>
          <tr>
            {props.columns.map((c, i) => (
              <th key={i} scope="col">
                {c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {props.empty !== null ? (
            <tr>
              <td colSpan={props.columns.length} className="empty">
                {props.empty}
              </td>
            </tr>
          ) : null}
          {props.children}
        </tbody>
      </table>
    </div>
  );
}
