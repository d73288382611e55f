/**
 * What the 排队取号 screen says when no number could be taken (the backend's IssueError): paper out
 * gets its own plain sentence (取号机缺纸，请到咨询台人工取号); other printer states name the state;
 * outside opening hours, when the window opens next, in words. Also today's hours of a window.
 */
import type { DayHours, NextOpening } from '../../../shared/browser.js';
import type { CallFailed, ErrorOf, RouterOutputs } from '../../api/index.js';

/** Why no number was taken: the router's IssueError, or the call itself failed. */
export type IssueErrorIn = ErrorOf<RouterOutputs['queue']['issue']> | CallFailed;
export type PrinterState = Extract<IssueErrorIn, { kind: 'printer-unavailable' }>['status'];

export type IssueProblem = {
  key: 'paperOut' | 'unavailable' | 'noPrinter' | 'rangeExhausted' | 'unknownWindow' | 'failed' | 'closed';
  /** The printer state to name (queueFlow.printerStatus.<status>), for 'unavailable'. */
  status: PrinterState | null;
  /** Outside opening hours: today's hours and the next opening. */
  closed?: { today: DayHours; next: NextOpening | null };
};

export function issueProblem(error: IssueErrorIn): IssueProblem {
  switch (error.kind) {
    case 'printer-unavailable':
      return error.status === 'paper-out'
        ? { key: 'paperOut', status: 'paper-out' }
        : { key: 'unavailable', status: error.status };
    case 'no-ticket-printer':
      return { key: 'noPrinter', status: null };
    case 'range-exhausted':
      return { key: 'rangeExhausted', status: null };
    case 'unknown-window':
      return { key: 'unknownWindow', status: null };
    case 'closed':
      return { key: 'closed', status: null, closed: { today: error.today, next: error.next } };
    case 'failed':
      return { key: 'failed', status: null };
    default: {
      const never: never = error;
      return never;
    }
  }
}

/** A translation lookup (useTranslation's `t`, wrapped by `sayWith`): keys built from data are checked by the tests. */
export type T = (key: string, values?: Record<string, string | number>) => string;

/** Wraps react-i18next's typed `t` for keys put together at run time (month and weekday names). */
export const sayWith =
  (t: (key: never, values?: Record<string, string | number>) => string): T =>
  (key, values) =>
    t(key as never, values);
type Lang = 'zh' | 'en';

/** "今天 13:00", "明天（12月5日 星期六）09:00", "Monday 7 December at 09:00", or "not announced". */
export function whenWords(next: NextOpening | null, t: T): string {
  if (next === null) return t('queueFlow.hours.whenUnknown');
  const month = t(`queueFlow.hours.month.${Number(next.date.slice(5, 7))}`);
  const day = Number(next.date.slice(8, 10));
  const weekday = t(`queueFlow.hours.weekday.${next.weekday}`);
  const values = { month, day, weekday, time: next.from };
  if (next.daysAhead === 0) return t('queueFlow.hours.whenToday', values);
  if (next.daysAhead === 1) return t('queueFlow.hours.whenTomorrow', values);
  return t('queueFlow.hours.whenLater', values);
}

/** "今日 09:00–12:00、13:00–17:00", or "今日不办公（法定节假日）" with the reason when there is one. */
export function todayWords(today: DayHours, t: T, lang: Lang): string {
  const reason =
    today.note !== null
      ? lang === 'en'
        ? today.note.en
        : today.note.zh
      : today.kind === 'holiday'
        ? t('queueFlow.hours.holiday')
        : today.kind === 'make-up-day'
          ? t('queueFlow.hours.makeUpDay')
          : null;
  const base =
    today.periods.length === 0
      ? t('queueFlow.hours.todayClosed')
      : t('queueFlow.hours.today', {
          periods: today.periods
            .map((p) => t('queueFlow.hours.period', { from: p.from, to: p.to }))
            .join(t('queueFlow.hours.separator')),
        });
  return reason === null ? base : lang === 'en' ? `${base} (${reason})` : `${base}（${reason}）`;
}
