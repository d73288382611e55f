/**
 * The result page without React: what the printing of a submission's receipts came to, and dates
 * as the resident reads them.
 */
import type { ApplicationSummary } from '../../../shared/browser.js';

export type PrintOverall = 'printed' | 'failed' | 'no-printer' | 'pending';

/** One state for all receipts of a submission: any failure is a failure the resident must hear of. */
export function printOverall(apps: readonly Pick<ApplicationSummary, 'printState'>[]): PrintOverall {
  if (apps.length === 0) return 'pending';
  if (apps.some((a) => a.printState === 'failed')) return 'failed';
  if (apps.some((a) => a.printState === 'no-printer')) return 'no-printer';
  if (apps.some((a) => a.printState === 'pending')) return 'pending';
  return 'printed';
}

/** The printer's own words for a failure (the first receipt that failed). */
export function printDetail(
  apps: readonly Pick<ApplicationSummary, 'printState' | 'printDetail'>[],
): string | null {
  return apps.find((a) => a.printState === 'failed' && a.printDetail)?.printDetail ?? null;
}

/** Replaces the applications a reprint or a decision returned, keeping the order. */
export function mergeApps(
  apps: readonly ApplicationSummary[],
  fresh: readonly ApplicationSummary[],
): ApplicationSummary[] {
  return apps.map((a) => fresh.find((f) => f.id === a.id) ?? a);
}

/** 2026-11-03 → 2026年11月3日 / 3 November 2026 (a calendar date: no time zone involved). */
export function formatIsoDate(iso: string, lang: 'zh-CN' | 'en'): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) return iso;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (lang === 'zh-CN') return `${y}年${mo}月${d}日`;
  const month = new Intl.DateTimeFormat('en', { month: 'long', timeZone: 'UTC' }).format(
    new Date(Date.UTC(y, mo - 1, d)),
  );
  return `${d} ${month} ${y}`;
}
