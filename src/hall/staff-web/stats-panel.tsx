/**
 * 统计分析 (React): the jurisdiction's figures for a date range (GET /v1/staff/stats) — totals,
 * on-time rate, average days, 差评 rate — two SVG bar charts (cases by status, 好差评 by level) and
 * the tables by item, window, status and level; CSV and Excel exports fetched with the desk's
 * credentials and saved. The charts are pictures of the tables beside them: the tables carry the
 * figures for screen readers, the charts are named images.
 *
 * The range is typed as year-month-day text (the order both languages write dates in), not the
 * browser's date picker, whose format follows the browser's locale rather than the page's language:
 * each field has its example in the page's language beside it, a wrong day is said in words on the
 * field (aria-invalid + the message it is described by), and 今天 / 本月 fill both fields.
 */
import { useCallback, useId, useImperativeHandle, useRef, useState, type ReactNode, type Ref } from 'react';
import type { HallCaseStatus } from '../../shared/case-status.js';
import type { EvaluationLevel } from '../../shared/evaluation.js';
import { ok } from '../../shared/result.js';
import { formatDay } from '../../shared/wall-clock.js';
import type { StaffStats, StatsGroup } from '../../shared/wire/desk-reports.js';
import type { Answer } from './api.js';
import { problemMessage } from './case-detail-text.js';
import { messageText, type Desk, type StatusMessage } from './desk.js';
import { inLanguage, useDeskText, type DeskLanguage, type DeskText } from './desk-i18n.js';
import { GridTable } from './panel-parts.js';
import { checkRange, monthStart, percent, STATS_RANGE_MAX_DAYS } from './panels-text.js';

export type StatsHandle = { load(): Promise<Answer<void>> };

const STATUS_COLOURS: Readonly<Record<HallCaseStatus, string>> = {
  received: '#4a5568',
  accepted: '#1553b5',
  refused: '#b3122e',
  'correction-requested': '#8a5a00',
  'supplement-received': '#6b4fa0',
  completed: '#1f7a3a',
};
const LEVEL_COLOURS: Readonly<Record<EvaluationLevel, string>> = {
  'very-satisfied': '#1f7a3a',
  satisfied: '#3c8d50',
  'basically-satisfied': '#8a5a00',
  dissatisfied: '#c2410c',
  'very-dissatisfied': '#b3122e',
};

/** What is wrong with the range typed: the field, and words redrawn in the language shown. */
type Problem = { field: 'from' | 'to' | null; message: StatusMessage };

export function StatsPanel(props: { ref: Ref<StatsHandle>; desk: Desk }): ReactNode {
  const { desk } = props;
  const { ref } = props;
  const { t, language } = useDeskText();
  const fromRef = useRef<HTMLInputElement>(null);
  const toRef = useRef<HTMLInputElement>(null);
  const [stats, setStats] = useState<StaffStats | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const id = useId();
  const example = formatDay(new Date(), desk.state.timeZone);

  const fill = (from: string, to: string): void => {
    if (fromRef.current) fromRef.current.value = from;
    if (toRef.current) toRef.current.value = to;
  };

  const load = useCallback(async (): Promise<Answer<void>> => {
    const from = fromRef.current;
    const to = toRef.current;
    if (!from || !to) return ok(undefined);
    if (!from.value.trim() && !to.value.trim()) {
      // This month so far, in the hall's zone.
      const today = formatDay(new Date(), desk.state.timeZone);
      from.value = monthStart(today);
      to.value = today;
    }
    const range = checkRange(from.value, to.value);
    if (!range.ok) {
      const today = formatDay(new Date(), desk.state.timeZone);
      const p: Problem =
        range.problem === 'from' || range.problem === 'to'
          ? {
              field: range.problem,
              message: {
                words: (tt) =>
                  tt('stats.badDay', {
                    field: tt(range.problem === 'from' ? 'stats.from' : 'stats.to'),
                    example: today,
                  }),
              },
            }
          : range.problem === 'order'
            ? { field: 'from', message: { key: 'stats.badOrder' } }
            : { field: 'from', message: { key: 'stats.tooLong', vars: { days: STATS_RANGE_MAX_DAYS } } };
      setProblem(p);
      (p.field === 'to' ? to : from).focus();
      return ok(undefined);
    }
    setProblem(null);
    // Shown as the hall reads them.
    from.value = range.from;
    to.value = range.to;
    const r = await desk.api.stats(range.from, range.to);
    if (!r.ok) {
      if (r.error.kind !== 'unauthenticated') desk.say(problemMessage(r.error), true);
      return r;
    }
    setStats(r.value);
    return ok(undefined);
  }, [desk]);
  useImperativeHandle(ref, () => ({ load }), [load]);

  const exportAs = async (format: 'csv' | 'xlsx'): Promise<void> => {
    const range = checkRange(fromRef.current?.value ?? '', toRef.current?.value ?? '');
    if (!range.ok) {
      await load();
      return;
    }
    const r = await desk.api.file(
      `/v1/staff/stats.${format}?from=${encodeURIComponent(range.from)}&to=${encodeURIComponent(range.to)}`,
    );
    if (!r.ok) {
      if (r.error.kind !== 'unauthenticated') desk.say(problemMessage(r.error), true);
      return;
    }
    const url = URL.createObjectURL(r.value);
    const a = document.createElement('a');
    a.href = url;
    a.download = `stats-${range.from}-${range.to}.${format}`;
    a.hidden = true;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
    desk.say({ key: 'stats.exported', vars: { format: format === 'csv' ? 'CSV' : 'Excel' } });
  };

  const dayField = (which: 'from' | 'to', ref: typeof fromRef): ReactNode => {
    const fieldId = `${id}-${which}`;
    const bad = problem?.field === which;
    return (
      <div className="tool">
        <label htmlFor={fieldId}>{t(which === 'from' ? 'stats.from' : 'stats.to')}</label>
        <input
          ref={ref}
          id={fieldId}
          name={which}
          type="text"
          inputMode="numeric"
          autoComplete="off"
          spellCheck={false}
          size={11}
          maxLength={16}
          placeholder={t('stats.placeholder')}
          aria-describedby={`${id}-hint${bad ? ` ${id}-problem` : ''}`}
          aria-invalid={bad || undefined}
          data-testid={`stats-${which}`}
        />
      </div>
    );
  };

  return (
    <>
      <h2 className="sr-only">{t('stats.title')}</h2>
      <form
        className="list-tools stats-range"
        aria-label={t('stats.range')}
        noValidate
        onSubmit={(ev) => {
          ev.preventDefault();
          void load();
        }}
      >
        {dayField('from', fromRef)}
        {dayField('to', toRef)}
        <div className="tool buttons">
          <button type="submit" data-testid="stats-show">
            {t('stats.show')}
          </button>
          <button
            type="button"
            className="quiet"
            data-range="today"
            onClick={() => {
              const today = formatDay(new Date(), desk.state.timeZone);
              fill(today, today);
              void load();
            }}
          >
            {t('stats.today')}
          </button>
          <button
            type="button"
            className="quiet"
            data-range="month"
            onClick={() => {
              const today = formatDay(new Date(), desk.state.timeZone);
              fill(monthStart(today), today);
              void load();
            }}
          >
            {t('stats.month')}
          </button>
        </div>
        <div className="tool buttons">
          <button type="button" className="quiet" data-export="csv" onClick={() => void exportAs('csv')}>
            {t('stats.csv')}
          </button>
          <button type="button" className="quiet" data-export="xlsx" onClick={() => void exportAs('xlsx')}>
            {t('stats.xlsx')}
          </button>
        </div>
        <p id={`${id}-hint`} className="hint range-hint">
          {t('stats.hint', { example })}
        </p>
        <p id={`${id}-problem`} className="error range-problem" role="alert" data-testid="stats-problem">
          {problem ? messageText(problem.message, t, language) : ''}
        </p>
      </form>
      <div id="stats-result" aria-live="polite">
        {stats ? <StatsResult s={stats} t={t} language={language} /> : null}
      </div>
    </>
  );
}

function StatsResult({ s, t, language }: { s: StaffStats; t: DeskText; language: DeskLanguage }): ReactNode {
  const tot = s.totals;
  const name = (g: StatsGroup): string => (g.name ? inLanguage(g.name, language) : g.code);
  const tile = (label: string, value: string, testId: string): ReactNode => (
    <div className="tile" data-testid={testId}>
      <b>{value}</b> {label}
    </div>
  );
  const groupTable = (
    caption: string,
    what: string,
    groups: readonly StatsGroup[],
    testId: string,
  ): ReactNode => (
    <Table
      caption={caption}
      head={[what, t('stats.cases'), t('stats.completed'), t('stats.onTime')]}
      rows={groups.map((g) => [name(g), String(g.cases), String(g.completed), percent(g.onTimeRate)])}
      testId={testId}
      none={t('stats.none')}
    />
  );
  return (
    <>
      <div className="summary" role="group" aria-label={t('stats.summary', { from: s.from, to: s.to })}>
        {tile(t('stats.cases'), String(tot.cases), 'stat-cases')}
        {tile(t('stats.completed'), String(tot.completed), 'stat-completed')}
        {tile(t('stats.onTime'), percent(tot.onTimeRate), 'stat-on-time')}
        {tile(t('stats.averageDays'), tot.averageDays === null ? '—' : String(tot.averageDays), 'stat-days')}
        {tile(t('stats.evaluations'), String(s.evaluations.total), 'stat-evaluations')}
        {tile(t('stats.badRate'), percent(s.evaluations.badRate), 'stat-bad-rate')}
      </div>
      <div className="charts">
        <figure>
          <BarChart
            title={t('stats.chartStatus')}
            rows={s.byStatus.map((r) => ({
              label: inLanguage(r.label, language),
              value: r.cases,
              colour: STATUS_COLOURS[r.status],
            }))}
          />
          <figcaption>{t('stats.chartStatus')}</figcaption>
        </figure>
        <figure>
          <BarChart
            title={t('stats.chartLevel')}
            rows={s.evaluations.byLevel.map((l) => ({
              label: inLanguage(l.label, language),
              value: l.count,
              colour: LEVEL_COLOURS[l.level],
            }))}
          />
          <figcaption>{t('stats.chartLevel')}</figcaption>
        </figure>
      </div>
      <div className="stats-tables">
        {groupTable(t('stats.byItem'), t('stats.item'), s.byItem, 'stats-by-item')}
        {groupTable(t('stats.byWindow'), t('stats.window'), s.byWindow, 'stats-by-window')}
        <Table
          caption={t('stats.byStatus')}
          head={[t('stats.status'), t('stats.cases')]}
          rows={s.byStatus.map((r) => [inLanguage(r.label, language), String(r.cases)])}
          testId="stats-by-status"
          none={t('stats.none')}
        />
        <Table
          caption={t('stats.byLevel')}
          head={[t('stats.level'), t('stats.count')]}
          rows={s.evaluations.byLevel.map((l) => [inLanguage(l.label, language), String(l.count)])}
          testId="stats-by-level"
          none={t('stats.none')}
        />
      </div>
    </>
  );
}

function Table(props: {
  caption: string;
  head: string[];
  rows: string[][];
  testId: string;
  none: string;
}): ReactNode {
  return (
    <GridTable
      testId={props.testId}
      caption={props.caption}
      columns={props.head}
      empty={props.rows.length === 0 ? props.none : null}
    >
      {props.rows.map((r, i) => (
        <tr key={i}>
          {r.map((c, j) => (
            <td key={j}>{c}</td>
          ))}
        </tr>
      ))}
    </GridTable>
  );
}

/**
 * A horizontal bar chart: one labelled bar per row, its value at its end (presentation attributes
 * only: the page's CSP forbids inline styles).
 */
export function BarChart(props: {
  title: string;
  rows: readonly { label: string; value: number; colour: string }[];
}): ReactNode {
  const titleId = useId();
  const width = 540;
  // Wide enough for the longest status at 13 px: 补正材料已送达，待审核 and "Materials received,
  // under review".
  const labelWidth = 250;
  const bar = 22;
  const gap = 8;
  const top = 8;
  const height = top + props.rows.length * (bar + gap);
  const max = Math.max(1, ...props.rows.map((r) => r.value));
  return (
    <svg
      viewBox={`0 0 ${width} ${height}`}
      width={width}
      height={height}
      role="img"
      aria-labelledby={titleId}
      className="chart"
    >
      <title id={titleId}>{props.title}</title>
      {props.rows.map((r, i) => {
        const y = top + i * (bar + gap);
        const length = ((width - labelWidth - 50) * r.value) / max;
        return (
          <g key={r.label}>
            <text x={labelWidth - 8} y={y + bar / 2 + 5} textAnchor="end" fontSize={13} fill="#1b2230">
              {r.label}
            </text>
            <rect
              x={labelWidth}
              y={y}
              width={Math.max(length, r.value > 0 ? 2 : 0)}
              height={bar}
              fill={r.colour}
              rx={2}
            />
            <text x={labelWidth + length + 6} y={y + bar / 2 + 5} fontSize={13} fill="#1b2230">
              {String(r.value)}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
