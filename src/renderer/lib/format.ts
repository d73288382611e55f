/**
 * Pure formatting helpers for what the kiosk shows (time, date, money, time limits). No React, no
 * i18next: the patterns come from the i18n resources, names of days and months from Intl.
 */
import { pad2, wallClockIn, type WallClock } from '../../shared/browser.js';
import type { Language } from '../i18n/messages.js';

export { pad2, type WallClock };

/**
 * The hall's time zone (from the backend's status): the screen shows the same wall-clock time as the
 * printed receipts even when the machine's own zone differs. Until it is known, the machine's zone.
 */
let displayTimeZone: string | undefined;
export function setDisplayTimeZone(timeZone: string | undefined): void {
  displayTimeZone = timeZone;
}

/** Calendar fields of an instant in the display time zone. */
export function wallClock(date: Date, timeZone: string | undefined = displayTimeZone): WallClock {
  if (timeZone === undefined) {
    return {
      year: date.getFullYear(),
      month: date.getMonth() + 1,
      day: date.getDate(),
      hour: date.getHours(),
      minute: date.getMinutes(),
      second: date.getSeconds(),
    };
  }
  return wallClockIn(date, timeZone);
}

/** 24-hour "HH:MM", the way halls and receipts show time in China. */
export function formatTime(date: Date): string {
  const w = wallClock(date);
  return `${pad2(w.hour)}:${pad2(w.minute)}`;
}

export type DateParts = { year: number; month: number; monthName: string; day: number; weekday: string };

/**
 * The pieces the date pattern in the i18n resources is built from (zh: 2026年11月26日 星期四;
 * en: Thursday, 26 November 2026). Day and month names come from Intl for the given language.
 */
export function dateParts(date: Date, lang: Language): DateParts {
  const w = wallClock(date);
  const zone = displayTimeZone === undefined ? {} : { timeZone: displayTimeZone };
  return {
    year: w.year,
    month: w.month,
    monthName: new Intl.DateTimeFormat(lang, { month: 'long', ...zone }).format(date),
    day: w.day,
    weekday: new Intl.DateTimeFormat(lang, { weekday: 'long', ...zone }).format(date),
  };
}

/** Money in fen (分) as yuan with two decimals: 1250 → "12.50", 2000000 → "20,000.00". */
export function formatFen(amountFen: number): string {
  const negative = amountFen < 0;
  const fen = Math.abs(Math.round(amountFen));
  const yuan = Math.floor(fen / 100).toLocaleString('en-US');
  return `${negative ? '-' : ''}${yuan}.${pad2(fen % 100)}`;
}

/**
 * The offset to add to the local clock so the screen shows the backend's time (the backend owns the
 * clock seam; a kiosk whose browser clock drifts must still print and show the same time).
 */
export function clockOffset(serverIso: string, localMs: number): number {
  const server = Date.parse(serverIso);
  return Number.isFinite(server) ? server - localMs : 0;
}
