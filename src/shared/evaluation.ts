/**
 * 好差评 (service evaluation) contract, after docs/domain.md, "好差评 (service evaluation)" (国办发〔2019〕51号,
 * GB/T 39734-2020, GB/T 39735-2020): five levels, the three dimensions an offline channel rates with
 * 整体满意度 (服务效率 / 服务水平 / 服务态度), level-dependent content items, and a required reason for
 * a 差评.
 *
 * The levels are stored as this enum (the database's CHECK list); the two numbering conventions of the
 * national standards exist only at the export boundary (`gbt39046Code`, `reportingInterfaceCode`).
 *
 * The content items (resources/evaluation/items.json) are versioned centrally and pulled from the hall
 * like the catalog; the kiosk never edits them locally, it only validates what it receives.
 *
 * No zod at run time here (the renderer imports it): the schemas, and `parseEvaluationItems`, are in
 * evaluation-schemas.ts.
 */
import type { z } from 'zod';
import type {
  evaluationItemSchema,
  evaluationItemsSchema,
  evaluationLevelItemsSchema,
  evaluationLevelSchema,
} from './evaluation-schemas.js';

// ---------------------------------------------------------------------------------------------------
// Levels

/** Display order: 非常满意 first. There is no default: the resident always picks (never pre-select). */
export const EVALUATION_LEVELS = [
  { level: 'very-satisfied', zh: '非常满意', en: 'Very satisfied', stars: 5 },
  { level: 'satisfied', zh: '满意', en: 'Satisfied', stars: 4 },
  { level: 'basically-satisfied', zh: '基本满意', en: 'Basically satisfied', stars: 3 },
  { level: 'dissatisfied', zh: '不满意', en: 'Dissatisfied', stars: 2 },
  { level: 'very-dissatisfied', zh: '非常不满意', en: 'Very dissatisfied', stars: 1 },
] as const;

export type EvaluationLevel = z.infer<typeof evaluationLevelSchema>;
export type EvaluationLevelInfo = (typeof EVALUATION_LEVELS)[number];

export function evaluationLevelInfo(level: EvaluationLevel): EvaluationLevelInfo {
  const info = EVALUATION_LEVELS.find((l) => l.level === level);
  if (info === undefined) throw new Error(`unknown evaluation level ${String(level)}`);
  return info;
}

/** 不满意 and 非常不满意 are 差评: they need a reason and are followed up (100% callback). */
export function isBadReview(level: EvaluationLevel): boolean {
  switch (level) {
    case 'dissatisfied':
    case 'very-dissatisfied':
      return true;
    case 'very-satisfied':
    case 'satisfied':
    case 'basically-satisfied':
      return false;
    default: {
      const never: never = level;
      throw new Error(`unknown evaluation level ${String(never)}`);
    }
  }
}

// ---------------------------------------------------------------------------------------------------
// Export-boundary codes: store an enum, map at the export boundary
// (docs/domain.md, "Two numbering conventions")

export type EvaluationLevelCode = 1 | 2 | 3 | 4 | 5;

/** GB/T 39046-2020 numbering: 1 = 非常满意 … 5 = 非常不满意. */
export function gbt39046Code(level: EvaluationLevel): EvaluationLevelCode {
  return (6 - evaluationLevelInfo(level).stars) as EvaluationLevelCode;
}

/** Common reporting interface (好差评 数据上报) numbering: 1 = 非常不满意 … 5 = 非常满意. */
export function reportingInterfaceCode(level: EvaluationLevel): EvaluationLevelCode {
  return evaluationLevelInfo(level).stars;
}

/** Inverse of `gbt39046Code`; null for anything but 1–5. */
export function levelFromGbt39046Code(code: number): EvaluationLevel | null {
  return EVALUATION_LEVELS.find((l) => 6 - l.stars === code)?.level ?? null;
}

/** Inverse of `reportingInterfaceCode`; null for anything but 1–5. */
export function levelFromReportingInterfaceCode(code: number): EvaluationLevel | null {
  return EVALUATION_LEVELS.find((l) => l.stars === code)?.level ?? null;
}

/** 评价渠道 in the common reporting interface: 5 = 政务大厅其他终端 (self-service terminals). */
export const KIOSK_CHANNEL_CODE = 5;

// ---------------------------------------------------------------------------------------------------
// Content items (评价内容)

/** The three dimensions an offline channel rates together with the level (整体满意度). */
export const EVALUATION_DIMENSIONS = [
  { dimension: 'efficiency', zh: '服务效率', en: 'Efficiency' },
  { dimension: 'level', zh: '服务水平', en: 'Service quality' },
  { dimension: 'attitude', zh: '服务态度', en: 'Attitude' },
] as const;
export type EvaluationDimension = (typeof EVALUATION_DIMENSIONS)[number]['dimension'];

export type EvaluationItem = z.infer<typeof evaluationItemSchema>;

export type EvaluationLevelItems = z.infer<typeof evaluationLevelItemsSchema>;

export type EvaluationItems = z.infer<typeof evaluationItemsSchema>;

/** Every content item offered for a level, all three dimensions, in display order. */
export function evaluationItemsForLevel(level: EvaluationLevel, items: EvaluationItems): EvaluationItem[] {
  const byDimension = items.items[level];
  return EVALUATION_DIMENSIONS.flatMap(({ dimension }) => byDimension[dimension]);
}

// ---------------------------------------------------------------------------------------------------
// Validating one evaluation

export const EVALUATION_COMMENT_MAX_CHARS = 500;
export const EVALUATION_REASON_MAX_CHARS = 200;

export type EvaluationDraft = {
  /** null until the resident picks: there is no default level. */
  level: EvaluationLevel | null;
  /** Codes of the content items the resident ticked. */
  contentItems: readonly string[];
  /** A reason code from `reasons`, or the resident's own words. */
  reason?: string;
  comment?: string;
};

export type EvaluationProblem =
  | { kind: 'level-required' }
  | { kind: 'unknown-item'; item: string }
  | { kind: 'item-not-for-level'; item: string }
  | { kind: 'duplicate-item'; item: string }
  | { kind: 'reason-required' }
  | { kind: 'reason-not-for-level' }
  | { kind: 'reason-too-long'; max: number }
  | { kind: 'comment-too-long'; max: number };

/** A 差评 reason: one of the listed reasons, or typed text. */
export type BadReviewReason = { kind: 'listed'; item: EvaluationItem } | { kind: 'typed'; text: string };

/** Blank text counts as no reason. */
export function resolveBadReviewReason(
  reason: string | undefined,
  items: EvaluationItems,
): BadReviewReason | null {
  const text = reason?.trim() ?? '';
  if (text === '') return null;
  const listed = items.reasons.find((r) => r.code === text);
  return listed === undefined ? { kind: 'typed', text } : { kind: 'listed', item: listed };
}

/** Lengths in characters as a reader counts them: 𠮷 (outside the BMP) is one, not two UTF-16 units. */
function charCount(text: string): number {
  return [...text].length;
}

/**
 * Everything wrong with an evaluation, empty when it may be submitted. Content items are optional;
 * a 差评 needs a reason (docs/domain.md, "Rules at the kiosk"), a good review takes none.
 */
export function validateEvaluation(draft: EvaluationDraft, items: EvaluationItems): EvaluationProblem[] {
  const problems: EvaluationProblem[] = [];
  const level = draft.level;
  if (level === null) {
    problems.push({ kind: 'level-required' });
  }

  const known = new Set(
    EVALUATION_LEVELS.flatMap((l) => evaluationItemsForLevel(l.level, items).map((i) => i.code)),
  );
  const offered = new Set(level === null ? [] : evaluationItemsForLevel(level, items).map((i) => i.code));
  const ticked = new Set<string>();
  for (const code of draft.contentItems) {
    if (ticked.has(code)) problems.push({ kind: 'duplicate-item', item: code });
    else if (!known.has(code)) problems.push({ kind: 'unknown-item', item: code });
    else if (level !== null && !offered.has(code)) problems.push({ kind: 'item-not-for-level', item: code });
    ticked.add(code);
  }

  const reason = resolveBadReviewReason(draft.reason, items);
  if (level !== null && isBadReview(level) && reason === null) problems.push({ kind: 'reason-required' });
  if (level !== null && !isBadReview(level) && reason !== null)
    problems.push({ kind: 'reason-not-for-level' });
  if (reason?.kind === 'typed' && charCount(reason.text) > EVALUATION_REASON_MAX_CHARS) {
    problems.push({ kind: 'reason-too-long', max: EVALUATION_REASON_MAX_CHARS });
  }
  if (draft.comment !== undefined && charCount(draft.comment) > EVALUATION_COMMENT_MAX_CHARS) {
    problems.push({ kind: 'comment-too-long', max: EVALUATION_COMMENT_MAX_CHARS });
  }
  return problems;
}
