/**
 * The pure parts of the desk's panels (叫号, 好差评整改, 统计分析, 终端状态, 呼叫帮助, 审计日志):
 * the date a person typed in the statistics range, which copy key names an audit action, a device
 * or a follow-up level, what a follow-up action carried. No DOM, no React; unit-tested
 * (panels-text.test.ts). The words themselves are in desk-zh-cn.ts / desk-en.ts.
 */
import type { FollowupActionDetail } from '../followups.js';
import type { StatusMessage } from './desk.js';
import { inLanguage, type DeskKey, type DeskText } from './desk-i18n.js';

/** The longest range the hall's statistics answer (STATS_MAX_DAYS in shared/wire/desk-reports.ts). */
export const STATS_RANGE_MAX_DAYS = 366;

const pad2 = (n: number): string => String(n).padStart(2, '0');

/**
 * A day as typed, in year-month-day order (the order both of the desk's languages write dates in):
 * 2026-03-02, 2026-3-2, 2026/03/02, 2026.3.2 or 2026年3月2日, with spaces or full-width digits
 * tolerated. Answers YYYY-MM-DD, or null when it is not a real day.
 */
export function parseDay(text: string): string | null {
  const ascii = text
    .trim()
    .replace(/[０-９]/gu, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0))
    .replace(/\s+/gu, '');
  const m = /^(\d{4})(?:[-/.年])(\d{1,2})(?:[-/.月])(\d{1,2})日?$/u.exec(ascii);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = Date.UTC(y, mo - 1, d);
  const back = new Date(t);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return null;
  return `${y}-${pad2(mo)}-${pad2(d)}`;
}

export type RangeCheck =
  { ok: true; from: string; to: string } | { ok: false; problem: 'from' | 'to' | 'order' | 'length' };

/** The statistics range as typed: both real days, from ≤ to, at most STATS_RANGE_MAX_DAYS days. */
export function checkRange(fromText: string, toText: string): RangeCheck {
  const from = parseDay(fromText);
  if (from === null) return { ok: false, problem: 'from' };
  const to = parseDay(toText);
  if (to === null) return { ok: false, problem: 'to' };
  if (from > to) return { ok: false, problem: 'order' };
  const days = (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000;
  if (days >= STATS_RANGE_MAX_DAYS) return { ok: false, problem: 'length' };
  return { ok: true, from, to };
}

/** The first of the month of a YYYY-MM-DD day. */
export const monthStart = (day: string): string => `${day.slice(0, 8)}01`;

/** An audit action's copy key; an action the desk has no words for shows as it is (null). */
export function auditActionKey(action: string): DeskKey | null {
  const key = action.replace(/[.-]([a-z])/gu, (_, c: string) => c.toUpperCase());
  return AUDIT_KEYS.has(key) ? (`audit.actions.${key}` as DeskKey) : null;
}
const AUDIT_KEYS = new Set([
  'staffLogin',
  'staffLoginFailed',
  'staffLocked',
  'staffLogout',
  'caseAccept',
  'caseRefuse',
  'caseCorrection',
  'caseComplete',
  'caseReveal',
  'caseDocument',
  'caseDocumentPdf',
  'caseView',
  'queueCall',
  'queueRecall',
  'queueSkip',
  'queueTransfer',
  'statsExport',
  'accountAdd',
  'accountReset',
  'accountDisable',
]);

/** An audit entry's detail as `key=value` pairs (data: shown as recorded). */
export const auditDetailText = (d: Readonly<Record<string, string | number | boolean | null>>): string =>
  Object.entries(d)
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(' ');

const camel = (s: string): string => s.replace(/-([a-z])/gu, (_, c: string) => c.toUpperCase());

/** Looks up `${prefix}.${camel(code)}` among the keys; null when the copy has no such word. */
function known(t: DeskText, prefix: string, code: string): string | null {
  const key = `${prefix}.${camel(code)}` as DeskKey;
  const text = t(key);
  // i18next answers the key itself for a missing one.
  return text === key ? null : text;
}

/** 凭条打印机：告警（纸将尽） / Receipt printer: warning (paper near end); unknown words as reported. */
export function deviceLine(t: DeskText, d: { kind: string; state: string; detail: string | null }): string {
  const detail = d.detail
    ? t('fleet.deviceDetailWrap', { detail: known(t, 'fleet.deviceDetail', d.detail) ?? d.detail })
    : '';
  return t('fleet.deviceLine', {
    device: known(t, 'fleet.device', d.kind) ?? d.kind,
    state: known(t, 'fleet.deviceState', d.state) ?? d.state,
    detail,
  });
}

/** A 好差评 level in words (the hall's name when the copy has none). */
export const levelWords = (t: DeskText, level: string, fallback: string): string =>
  known(t, 'followups.level', level) ?? fallback;

/** A follow-up action in words. */
export const followupActionText = (t: DeskText, action: string): string =>
  known(t, 'followups.action', action) ?? action;

/** Said when a follow-up action is done (the action named in the language shown). */
export const followupDoneMessage = (action: string, id: number): StatusMessage => ({
  words: (t) => t('followups.done', { action: followupActionText(t, action), id }),
});

/**
 * Said when a number is sent to another window: the window by its name in the language shown (its
 * code when the hall's catalog does not know it).
 */
export const transferredMessage = (
  number: string,
  to: { window: string; name: { zh: string; en: string } | null },
): StatusMessage => ({
  words: (t, language) =>
    t('queue.transferred', { number, name: to.name ? inLanguage(to.name, language) : to.window }),
});

/** A kiosk screen (the step a resident asked for help on) in words. */
export const helpStepText = (t: DeskText, step: string): string => known(t, 'help.steps', step) ?? step;

/** What a follow-up action carried, after its name: ；理由：… / ; reason: … (empty when nothing). */
export function followupDetailText(t: DeskText, d: FollowupActionDetail, separator: string): string {
  const out: string[] = [];
  if (d.reason) out.push(t('followups.detailReason', { text: d.reason }));
  if (d.days) out.push(t('followups.detailDays', { n: d.days }));
  if (d.note) out.push(t('followups.detailNote', { text: d.note }));
  return out.length > 0 ? `${separator}${out.join(separator)}` : '';
}

/** Whole seconds since `since` (never negative). */
export const waitedSeconds = (since: string, now: number): number =>
  Math.max(0, Math.round((now - Date.parse(since)) / 1000));

/** A rate as a percentage with one decimal; — for none. */
export const percent = (r: number | null): string => (r === null ? '—' : `${(r * 100).toFixed(1)}%`);
