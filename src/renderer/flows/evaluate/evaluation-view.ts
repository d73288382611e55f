/**
 * Pure helpers of the 好差评 screens: which message each validation problem shows (one line per
 * kind, in the order the form reads), and what the evaluate flow lists.
 */
import type { EvaluationProblem } from '../../../shared/evaluation.js';

export type ProblemMessage = { key: EvaluationProblem['kind']; values: Record<string, number> };

const ORDER: readonly EvaluationProblem['kind'][] = [
  'level-required',
  'unknown-item',
  'item-not-for-level',
  'duplicate-item',
  'reason-required',
  'reason-not-for-level',
  'reason-too-long',
  'comment-too-long',
];

/** One message per kind of problem (three unknown items are one line, not three). */
export function problemMessages(problems: readonly EvaluationProblem[]): ProblemMessage[] {
  const out: ProblemMessage[] = [];
  for (const kind of ORDER) {
    const p = problems.find((x) => x.kind === kind);
    if (!p) continue;
    out.push({ key: kind, values: 'max' in p ? { max: p.max } : {} });
  }
  return out;
}
