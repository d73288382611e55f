/**
 * How the case detail puts a case into words in the language shown: pure, unit-tested
 * (case-detail-text.test.ts). Every word comes from the desk's copy through `t`, catalog names
 * ({ zh, en }) in the language shown; the data itself (names, reasons typed by staff) as written.
 */
import type { Localized } from '../../shared/catalog.js';
import type { CaseActionDetail } from '../case-detail.js';
import type { Problem } from './api.js';
import type { StatusMessage } from './desk.js';
import { inLanguage, type DeskKey, type DeskLanguage, type DeskText } from './desk-i18n.js';
import { deskZh } from './desk-zh-cn.js';
import { caseActionWords, formatTime, statusWords, type MaterialNames } from './format.js';

/** Why a request to the hall failed, in the language shown (the hall's own message as it sent it). */
export function problemWords(p: Problem, t: DeskText, language: DeskLanguage): string {
  switch (p.kind) {
    case 'unauthenticated':
      return t('detail.problem.unauthenticated');
    case 'unreachable':
      return t('detail.problem.unreachable');
    case 'refused': {
      const e = p.error;
      if (p.status === 409)
        return t('detail.problem.conflict', {
          from: e?.from ? inLanguage(statusWords(e.from), language) : '?',
        });
      if (p.status === 404) return t('detail.problem.notFound');
      if (p.status === 403 && e?.error === 'forbidden') return t('detail.problem.forbidden');
      if (p.status === 403 && e?.error === 'csrf-refused') return t('detail.problem.csrf');
      return t('detail.problem.other', { status: p.status, message: e?.message || e?.error || '—' });
    }
    default: {
      const never: never = p;
      return never;
    }
  }
}

/**
 * Why a request failed, for the status line: alone, or in a sentence of the copy that takes it as
 * `{{problem}}` ('queue.notDone'). Put into words when shown, so it follows a language switch (the
 * hall's own message, inside it, stays as the hall sent it).
 */
export const problemMessage = (p: Problem, sentence?: DeskKey): StatusMessage => ({
  words: (t, language) =>
    sentence === undefined
      ? problemWords(p, t, language)
      : t(sentence, { problem: problemWords(p, t, language) }),
});

/** How staff name a case: its 受理编号, or (a payload that did not parse) the start of its id. */
export const caseLabel = (c: { id: string; receiptNo: string | null }): string =>
  c.receiptNo ?? c.id.slice(0, 8);

/** A material by its catalog name in the language shown; a code the catalog does not know, as written. */
export const materialLabel = (code: string, names: MaterialNames, language: DeskLanguage): string => {
  const name = names[code];
  return name ? inLanguage(name, language) : code;
};

/**
 * A key the catalog's form definition does not have, made readable: `lastEmployerName` →
 * "Last employer name", `delivery.post_code` → "Delivery post code". Empty for an empty key.
 */
export function readableKey(key: string): string {
  const words = key
    .replace(/([a-z\d])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[\s._\-/]+/)
    .filter((w) => w !== '')
    .map((w) => (/^[A-Z\d]+$/.test(w) ? w : w.toLowerCase()));
  const text = words.join(' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

type KnownField = keyof typeof deskZh.detail.knownFields;
const isKnownField = (key: string): key is KnownField => Object.hasOwn(deskZh.detail.knownFields, key);

/**
 * A form field's label: the catalog's (`known`), else a common field's name from the desk's copy
 * (fullName → 姓名), else the key made readable — those two marked as not in the item's form.
 */
export function formFieldLabel(
  f: { key: string; label: Localized | null },
  t: DeskText,
  language: DeskLanguage,
): { text: string; known: boolean } {
  if (f.label) return { text: inLanguage(f.label, language), known: true };
  if (isKnownField(f.key)) return { text: t(`detail.knownFields.${f.key}`), known: false };
  return { text: readableKey(f.key) || f.key, known: false };
}

const VALUE_WORDS = ['promised', 'immediate', 'ems', 'pickup'] as const;
type ValueWord = (typeof VALUE_WORDS)[number];
const isValueWord = (v: string): v is ValueWord => (VALUE_WORDS as readonly string[]).includes(v);

/** A flat field's value in words: times in the hall's zone, coded values (即办件, EMS) by name. */
export function fieldValueText(path: string, value: string, timeZone: string, t: DeskText): string {
  if (/At$/.test(path)) return formatTime(value, timeZone);
  return isValueWord(value) ? t(`detail.values.${value}`) : value;
}

/** What a staff action carried, in words: "；材料：身份证、…；理由：…" ('' for nothing). */
export function actionDetailText(
  d: CaseActionDetail,
  names: MaterialNames,
  t: DeskText,
  language: DeskLanguage,
): string {
  const sep = t('detail.listSeparator');
  const parts: string[] = [];
  if (d.materials?.length)
    parts.push(
      t('detail.eventMaterials', {
        list: d.materials.map((m) => materialLabel(m, names, language)).join(sep),
      }),
    );
  if (d.reason) parts.push(t('detail.eventReason', { text: d.reason }));
  if (d.result) parts.push(t('detail.eventResult', { text: d.result }));
  if (d.trackingNumber) parts.push(t('detail.eventEms', { text: d.trackingNumber }));
  if (d.note) parts.push(t('detail.eventNote', { text: d.note }));
  const p = t('detail.partSeparator');
  return parts.length > 0 ? `${p}${parts.join(p)}` : '';
}

/** One line of a case's history: "2026-03-02 09:00 王科员：补齐补正（大厅已收件 → 需补齐补正）；材料：…". */
export function caseEventLine(
  e: { at: string; staff: string; action: string; from: string; to: string; detail: CaseActionDetail },
  timeZone: string,
  names: MaterialNames,
  t: DeskText,
  language: DeskLanguage,
): string {
  return (
    t('detail.event', {
      at: formatTime(e.at, timeZone),
      staff: e.staff,
      action: inLanguage(caseActionWords(e.action), language),
      from: inLanguage(statusWords(e.from), language),
      to: inLanguage(statusWords(e.to), language),
    }) + actionDetailText(e.detail, names, t, language)
  );
}

/** The status line after an action: "Done for ZZ01-…: Request supplement → Supplement requested". */
export function actionDoneText(
  c: { id: string; receiptNo: string | null },
  action: string,
  status: string,
  t: DeskText,
  language: DeskLanguage,
): string {
  return t('detail.done', {
    receipt: caseLabel(c),
    action: inLanguage(caseActionWords(action), language),
    status: inLanguage(statusWords(status), language),
  });
}
