/**
 * What the kiosk says (docs/resident-journey.md, "Voice"): what to do next on each step, which fields
 * a refused 下一步 found wrong and why, how a scan goes, and the receipt number one character at a
 * time. Text only from the i18n resources (sessionFlow.voice.*); never personal data — a field is
 * named by its label and its problem, never its value, and no name or ID number is ever passed in.
 * Pure functions of a translator, so they are unit-tested without React.
 */

import type { ParseKeys, TFunction } from 'i18next';

/** The part of i18next's `t` these builders use. */
export type Translate = (key: string, options?: Record<string, string | number>) => string;

/** The steps of 我要办事 that have an instruction (apply-steps.ts). */
export type VoiceStep =
  'identify' | 'find' | 'guide' | 'form' | 'materials' | 'delivery' | 'integrity' | 'review' | 'result';

/** "请……": what to do on this step, not its label. */
export function stepPrompt(t: Translate, step: VoiceStep): string {
  return t(`sessionFlow.voice.steps.${step}`);
}

/** One field a refused 下一步 found wrong: its label and its problem in words (no value). */
export type SpokenFieldError = { label: string; problem: string };

/**
 * "有 2 项需要修改。联系电话：请输入 11 位手机号码。工作单位：此项必填。" — the first few, then how many
 * more, so a long form does not become a minute of speech.
 */
export function fieldErrorsPrompt(t: Translate, errors: readonly SpokenFieldError[], max = 3): string {
  if (errors.length === 0) return '';
  const head = t('sessionFlow.voice.errors.count', { count: errors.length });
  const each = errors
    .slice(0, max)
    .map((e) => t('sessionFlow.voice.errors.field', { label: e.label, problem: e.problem }));
  const more =
    errors.length > max ? [t('sessionFlow.voice.errors.more', { count: errors.length - max })] : [];
  return [head, ...each, ...more].join(' ');
}

/** A scan as the resident hears it. */
export type ScanEvent =
  | { kind: 'scanning'; material: string }
  /** Pages `from`..`to` (1-based) of the material are in. */
  | { kind: 'added'; material: string; from: number; to: number }
  /** `problem`: the sentence the screen shows (what happened and what to do). */
  | { kind: 'failed'; problem: string };

export function scanPrompt(t: Translate, e: ScanEvent): string {
  switch (e.kind) {
    case 'scanning':
      return t('sessionFlow.voice.scan.scanning', { material: e.material });
    case 'added':
      return e.from === e.to
        ? t('sessionFlow.voice.scan.added', { material: e.material, n: e.to })
        : t('sessionFlow.voice.scan.addedMany', { material: e.material, from: e.from, to: e.to });
    case 'failed':
      return t('sessionFlow.voice.scan.failed', { problem: e.problem });
    default: {
      const never: never = e;
      return never;
    }
  }
}

/**
 * A receipt number said one character at a time, its parts apart: ZZ01-20261205-0001 →
 * "Z Z 0 1，2 0 2 6 1 2 0 5，0 0 0 1" — a synthesiser would otherwise read 20261205 as twenty million….
 * Digits become words in the prompt's language (零 一 二 … / zero one two …) so every voice reads
 * them the same way; letters stay letters.
 */
export function spellReceiptNo(t: Translate, receiptNo: string): string {
  const digits = t('sessionFlow.voice.digits').split(' ');
  const part = (p: string) =>
    [...p].map((ch) => (/\d/.test(ch) ? (digits[Number(ch)] ?? ch) : ch.toUpperCase())).join(' ');
  return receiptNo
    .split('-')
    .filter((p) => p !== '')
    .map(part)
    .join(t('sessionFlow.voice.partBreak'));
}

/** The result screen: the receipt number(s), spelled, then what to do now. */
export function receiptPrompt(t: Translate, receiptNos: readonly string[], after: string): string {
  const numbers = receiptNos.map((no) => t('sessionFlow.voice.receipt', { number: spellReceiptNo(t, no) }));
  return [...numbers, after].filter((s) => s !== '').join(' ');
}

/**
 * The screen's `t` as a `Translate`: the builders take keys as strings (they are checked by the unit
 * tests against the resources), the screen's `t` only the literal keys of the resources.
 */
export function translator(t: TFunction): Translate {
  return (key, options) => t(key as ParseKeys, options ?? {});
}
