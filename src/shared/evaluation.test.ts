import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  EVALUATION_COMMENT_MAX_CHARS,
  EVALUATION_LEVELS,
  KIOSK_CHANNEL_CODE,
  evaluationItemsForLevel,
  gbt39046Code,
  isBadReview,
  levelFromGbt39046Code,
  levelFromReportingInterfaceCode,
  reportingInterfaceCode,
  resolveBadReviewReason,
  validateEvaluation,
  type EvaluationItems,
  type EvaluationLevel,
} from './evaluation.js';
import { evaluationLevelSchema, parseEvaluationItems } from './evaluation-schemas.js';

const SEED = fileURLToPath(new URL('../../resources/evaluation/items.json', import.meta.url));

function seedJson(): Record<string, unknown> {
  return JSON.parse(readFileSync(SEED, 'utf8')) as Record<string, unknown>;
}
function loadSeed(): EvaluationItems {
  const parsed = parseEvaluationItems(seedJson());
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.value;
}
const items = loadSeed();

describe('levels', () => {
  it('are listed 非常满意 → 非常不满意 with 5..1 stars, matching the enum', () => {
    expect(EVALUATION_LEVELS.map((l) => l.zh)).toEqual([
      '非常满意',
      '满意',
      '基本满意',
      '不满意',
      '非常不满意',
    ]);
    expect(EVALUATION_LEVELS.map((l) => l.stars)).toEqual([5, 4, 3, 2, 1]);
    expect(EVALUATION_LEVELS.map((l) => l.level)).toEqual(evaluationLevelSchema.options);
  });

  it('treats only the last two as 差评', () => {
    expect(EVALUATION_LEVELS.filter((l) => isBadReview(l.level)).map((l) => l.level)).toEqual([
      'dissatisfied',
      'very-dissatisfied',
    ]);
  });
});

describe('export-boundary codes', () => {
  const table: [EvaluationLevel, number, number][] = [
    ['very-satisfied', 1, 5],
    ['satisfied', 2, 4],
    ['basically-satisfied', 3, 3],
    ['dissatisfied', 4, 2],
    ['very-dissatisfied', 5, 1],
  ];
  it.each(table)('%s is GB/T 39046 %i and reporting-interface %i', (level, gbt, reporting) => {
    expect(gbt39046Code(level)).toBe(gbt);
    expect(reportingInterfaceCode(level)).toBe(reporting);
    expect(levelFromGbt39046Code(gbt)).toBe(level);
    expect(levelFromReportingInterfaceCode(reporting)).toBe(level);
  });

  it('maps unknown codes to null', () => {
    for (const code of [0, 6, 2.5, Number.NaN]) {
      expect(levelFromGbt39046Code(code)).toBeNull();
      expect(levelFromReportingInterfaceCode(code)).toBeNull();
    }
  });

  it('names the kiosk channel 5 (政务大厅其他终端)', () => {
    expect(KIOSK_CHANNEL_CODE).toBe(5);
  });
});

describe('seed content items', () => {
  it('offers praise for good levels and problems for bad ones in all three dimensions', () => {
    const codes = (level: EvaluationLevel): string[] =>
      evaluationItemsForLevel(level, items).map((i) => i.code);
    expect(codes('very-satisfied')).toContain('p-eff-one-visit');
    expect(codes('very-dissatisfied')).toContain('n-att-hard-to-use');
    for (const { level } of EVALUATION_LEVELS) {
      const byDimension = items.items[level];
      expect(byDimension.efficiency.length).toBeGreaterThan(0);
      expect(byDimension.level.length).toBeGreaterThan(0);
      expect(byDimension.attitude.length).toBeGreaterThan(0);
      const prefix = isBadReview(level) ? 'n-' : 'p-';
      expect(codes(level).every((c) => c.startsWith(prefix))).toBe(true);
    }
    expect(items.reasons.length).toBeGreaterThan(3);
  });
});

describe('parseEvaluationItems', () => {
  it('rejects a document missing a level', () => {
    const json = seedJson();
    const { dissatisfied: _dropped, ...rest } = json.items as Record<string, unknown>;
    const parsed = parseEvaluationItems({ ...json, items: rest });
    expect(parsed).toMatchObject({ ok: false });
    if (!parsed.ok) expect(parsed.error).toContain('items.dissatisfied');
  });

  it('rejects an item used for both praise and complaint', () => {
    const json = seedJson();
    const levels = structuredClone(json.items) as Record<string, Record<string, unknown[]>>;
    const praise = levels['satisfied']?.['efficiency']?.[0];
    levels['dissatisfied']?.['efficiency']?.push(praise);
    const parsed = parseEvaluationItems({ ...json, items: levels });
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toMatch(/both good and bad/);
  });

  it('rejects the same code with different wording, duplicates and bad codes', () => {
    const item = (code: string, zh = '甲'): { code: string; zh: string; en: string } => ({
      code,
      zh,
      en: 'A',
    });
    const dims = { efficiency: [item('a1')], level: [item('a2')], attitude: [item('a3')] };
    const bad = { efficiency: [item('b1')], level: [item('b2')], attitude: [item('b3')] };
    const doc = (over: object): unknown => ({
      version: '1',
      items: {
        'very-satisfied': dims,
        satisfied: dims,
        'basically-satisfied': dims,
        dissatisfied: bad,
        'very-dissatisfied': bad,
      },
      reasons: [item('r1')],
      ...over,
    });
    expect(parseEvaluationItems(doc({})).ok).toBe(true);
    const reworded = { ...dims, efficiency: [item('a1', '乙')] };
    const parsed = parseEvaluationItems(
      doc({
        items: {
          'very-satisfied': dims,
          satisfied: reworded,
          'basically-satisfied': dims,
          dissatisfied: bad,
          'very-dissatisfied': bad,
        },
      }),
    );
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toMatch(/different wording/);
    const dup = parseEvaluationItems(doc({ reasons: [item('r1'), item('r1')] }));
    expect(dup.ok).toBe(false);
    expect(parseEvaluationItems(doc({ reasons: [item('R 1')] })).ok).toBe(false);
    expect(parseEvaluationItems(doc({ reasons: [] })).ok).toBe(false);
    expect(parseEvaluationItems('items').ok).toBe(false);
  });
});

describe('validateEvaluation', () => {
  it('accepts a good review with praise items and no reason', () => {
    expect(
      validateEvaluation(
        { level: 'very-satisfied', contentItems: ['p-eff-one-visit', 'p-att-easy-ui'] },
        items,
      ),
    ).toEqual([]);
    expect(validateEvaluation({ level: 'satisfied', contentItems: [] }, items)).toEqual([]);
  });

  it('requires a level: nothing is pre-selected', () => {
    expect(validateEvaluation({ level: null, contentItems: [] }, items)).toEqual([
      { kind: 'level-required' },
    ]);
  });

  it('requires a reason for a 差评, listed or typed', () => {
    expect(validateEvaluation({ level: 'dissatisfied', contentItems: ['n-eff-long-wait'] }, items)).toEqual([
      { kind: 'reason-required' },
    ]);
    expect(
      validateEvaluation({ level: 'very-dissatisfied', contentItems: [], reason: '   ' }, items),
    ).toEqual([{ kind: 'reason-required' }]);
    expect(
      validateEvaluation({ level: 'very-dissatisfied', contentItems: [], reason: 'r-overdue' }, items),
    ).toEqual([]);
    expect(
      validateEvaluation({ level: 'dissatisfied', contentItems: [], reason: '打印机卡纸，无人处理' }, items),
    ).toEqual([]);
  });

  it('resolves a reason as listed or typed', () => {
    expect(resolveBadReviewReason('r-overdue', items)).toMatchObject({
      kind: 'listed',
      item: { zh: '超时未办结' },
    });
    expect(resolveBadReviewReason(' 排队太久 ', items)).toEqual({ kind: 'typed', text: '排队太久' });
    expect(resolveBadReviewReason('', items)).toBeNull();
    expect(resolveBadReviewReason(undefined, items)).toBeNull();
  });

  it('flags unknown, wrong-level and duplicate items', () => {
    const problems = validateEvaluation(
      { level: 'satisfied', contentItems: ['nope', 'n-lvl-system-fault', 'p-eff-fast', 'p-eff-fast'] },
      items,
    );
    expect(problems).toEqual([
      { kind: 'unknown-item', item: 'nope' },
      { kind: 'item-not-for-level', item: 'n-lvl-system-fault' },
      { kind: 'duplicate-item', item: 'p-eff-fast' },
    ]);
  });

  it('flags an item the chosen positive level does not offer', () => {
    // 基本满意 offers a shorter praise list than 非常满意.
    expect(
      validateEvaluation({ level: 'basically-satisfied', contentItems: ['p-att-privacy'] }, items),
    ).toEqual([{ kind: 'item-not-for-level', item: 'p-att-privacy' }]);
  });

  it('refuses a 差评 reason on a good review', () => {
    expect(validateEvaluation({ level: 'satisfied', contentItems: [], reason: 'r-overdue' }, items)).toEqual([
      { kind: 'reason-not-for-level' },
    ]);
  });

  it('limits comment and typed reason length in characters, not UTF-16 units', () => {
    const atLimit = '𠮷'.repeat(EVALUATION_COMMENT_MAX_CHARS); // 1000 UTF-16 units, 500 characters
    expect(validateEvaluation({ level: 'satisfied', contentItems: [], comment: atLimit }, items)).toEqual([]);
    expect(
      validateEvaluation({ level: 'satisfied', contentItems: [], comment: `${atLimit}好` }, items),
    ).toEqual([{ kind: 'comment-too-long', max: 500 }]);
    expect(
      validateEvaluation({ level: 'dissatisfied', contentItems: [], reason: '慢'.repeat(201) }, items),
    ).toEqual([{ kind: 'reason-too-long', max: 200 }]);
  });
});
