/**
 * zod schemas of 好差评 (Node only: the renderer imports evaluation.ts, which has no zod at run time
 * and takes its types from here): the level enum as the API accepts it, and the content-item
 * document pulled from the hall with the checks across it.
 */
import { z } from 'zod';
import {
  EVALUATION_DIMENSIONS,
  EVALUATION_LEVELS,
  isBadReview,
  type EvaluationItem,
  type EvaluationItems,
} from './evaluation.js';

/** Parse outcome, the same shape as working-days.ts's `ParseResult` (not re-exported: one name, one home). */
type ParseResult<T> = { ok: true; value: T } | { ok: false; error: string };

export const evaluationLevelSchema = z.enum([
  'very-satisfied',
  'satisfied',
  'basically-satisfied',
  'dissatisfied',
  'very-dissatisfied',
]);
export const evaluationItemSchema = z.strictObject({
  code: z.string().regex(/^[a-z][a-z0-9-]{1,39}$/, 'item codes are 2–40 lower-case letters, digits or "-"'),
  zh: z.string().trim().min(1).max(40),
  en: z.string().trim().min(1).max(80),
});
export const evaluationLevelItemsSchema = z.strictObject({
  efficiency: z.array(evaluationItemSchema).min(1),
  level: z.array(evaluationItemSchema).min(1),
  attitude: z.array(evaluationItemSchema).min(1),
});
export const evaluationItemsSchema = z
  .strictObject({
    version: z.string().trim().min(1),
    items: z.strictObject({
      'very-satisfied': evaluationLevelItemsSchema,
      satisfied: evaluationLevelItemsSchema,
      'basically-satisfied': evaluationLevelItemsSchema,
      dissatisfied: evaluationLevelItemsSchema,
      'very-dissatisfied': evaluationLevelItemsSchema,
    }),
    /** 差评 reasons to pick from; the resident may also type one. */
    reasons: z.array(evaluationItemSchema).min(1),
  })
  .superRefine((doc, ctx) => {
    // One code, one meaning across the document; a code is praise or a problem, never both.
    const seen = new Map<string, { item: EvaluationItem; bad: boolean }>();
    for (const { level } of EVALUATION_LEVELS) {
      const bad = isBadReview(level);
      for (const { dimension } of EVALUATION_DIMENSIONS) {
        const inLevel = new Set<string>();
        doc.items[level][dimension].forEach((item, i) => {
          const path = ['items', level, dimension, i, 'code'];
          if (inLevel.has(item.code))
            ctx.addIssue({ code: 'custom', path, message: `duplicate item ${item.code}` });
          inLevel.add(item.code);
          const before = seen.get(item.code);
          if (before === undefined) {
            seen.set(item.code, { item, bad });
          } else if (before.item.zh !== item.zh || before.item.en !== item.en) {
            ctx.addIssue({
              code: 'custom',
              path,
              message: `item ${item.code} has different wording elsewhere`,
            });
          } else if (before.bad !== bad) {
            ctx.addIssue({
              code: 'custom',
              path,
              message: `item ${item.code} is used for both good and bad reviews`,
            });
          }
        });
      }
    }
    const reasons = new Set<string>();
    doc.reasons.forEach((reason, i) => {
      if (reasons.has(reason.code))
        ctx.addIssue({
          code: 'custom',
          path: ['reasons', i, 'code'],
          message: `duplicate reason ${reason.code}`,
        });
      reasons.add(reason.code);
    });
  });
/** Validate a content-item document (the seed or an update pulled from the hall). */
export function parseEvaluationItems(json: unknown): ParseResult<EvaluationItems> {
  const parsed = evaluationItemsSchema.safeParse(json);
  if (parsed.success) return { ok: true, value: parsed.data };
  const error = parsed.error.issues
    .map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`)
    .join('; ');
  return { ok: false, error };
}
