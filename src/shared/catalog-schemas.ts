/**
 * Service catalog contract (事项目录), its zod schemas. Field names follow GB/T 39046-2020 table 4
 * (abridged) as summarised in docs/domain.md, "Service items (事项)". Every catalog that enters the kiosk —
 * the seed in resources/catalog or a catalog update pulled from the hall — is parsed with these.
 * Node only: the renderer reads the types and lists from catalog.ts, which has no zod at run time.
 */
import { z } from 'zod';
import { FIELD_TYPES, INPUT_KINDS, ITEM_TYPES, PREFILL_SOURCES, WINDOW_CODES } from './catalog.js';

export const windowCodeSchema = z.enum(WINDOW_CODES);

/** Every piece of resident-facing copy exists in Chinese (primary) and English. */
export const localizedSchema = z.object({
  zh: z.string().trim().min(1),
  en: z.string().trim().min(1),
});

const codeSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{1,63}$/, 'codes are 2–64 letters, digits, ".", "_" or "-"');

export const windowCategorySchema = z.object({
  code: windowCodeSchema,
  name: localizedSchema,
  description: localizedSchema,
  /** Letter printed in front of queue numbers for this window, e.g. "A" → A023. */
  queuePrefix: z.string().regex(/^[A-Z]$/),
  sortOrder: z.number().int().nonnegative(),
});

export const itemTypeSchema = z.enum(ITEM_TYPES);

/** 办件类型: 即办件 (decided on the spot) or 承诺件 (decided within the promised time). */
export const caseTypeSchema = z.enum(['immediate', 'promised']);

export const materialSchema = z
  .object({
    code: codeSchema,
    name: localizedSchema,
    /** 出具机构 */
    issuer: localizedSchema,
    /** 原件份数 / 复印件份数 */
    originals: z.number().int().min(0).max(10),
    copies: z.number().int().min(0).max(10),
    /** 是否必备 */
    required: z.boolean(),
    /**
     * 材料来源: 'applicant' when the resident must provide it; 'shared-licence' when it is held as a
     * shared electronic licence (电子证照) and need not be submitted once the hall confirms it.
     */
    source: z.enum(['applicant', 'shared-licence']),
    /** Review points (审查要点) — exact, never vague. */
    requirements: localizedSchema,
  })
  .refine((m) => m.originals + m.copies > 0, {
    message: 'a material needs at least one original or one copy',
  });

export const fieldTypeSchema = z.enum(FIELD_TYPES);

export const formFieldSchema = z
  .object({
    key: z.string().regex(/^[a-z][a-zA-Z0-9]{0,39}$/, 'field keys are camelCase'),
    label: localizedSchema,
    type: fieldTypeSchema,
    required: z.boolean(),
    prefill: z.enum(PREFILL_SOURCES).optional(),
    maxLength: z.number().int().positive().max(2000).optional(),
    options: z
      .array(z.object({ value: z.string().min(1), label: localizedSchema }))
      .min(2)
      .optional(),
    hint: localizedSchema.optional(),
    /** Which keys the field's on-screen keyboard shows and what it accepts (INPUT_KINDS). */
    input: z.enum(INPUT_KINDS).optional(),
  })
  .refine((f) => (f.type === 'select') === (f.options !== undefined), {
    message: 'select fields, and only select fields, have options',
  })
  .refine(
    (f) =>
      f.input === undefined ||
      (f.type === 'number'
        ? f.input === 'integer' || f.input === 'decimal'
        : ['text', 'textarea', 'address'].includes(f.type) && f.input !== 'integer' && f.input !== 'decimal'),
    { message: 'input: integer/decimal on number fields, text/code/digits on text fields' },
  );

export const stepSchema = z.object({ title: localizedSchema, description: localizedSchema });

export const serviceItemSchema = z
  .object({
    /** 实施编码 */
    code: codeSchema,
    /** 基本编码 */
    baseCode: codeSchema,
    name: localizedSchema,
    window: windowCodeSchema,
    itemType: itemTypeSchema,
    /** 实施主体 and its code (统一社会信用代码 of the department) */
    department: localizedSchema,
    departmentCode: z.string().regex(/^[0-9A-Z]{18}$/),
    /**
     * 法定办结时限 and 承诺办结时限, in working days. legalDays 0 means the law sets no time limit
     * (typical of 即办件 and 备案); screens show 即办 rather than "0 days".
     */
    legalDays: z.number().int().min(0).max(365),
    promisedDays: z.number().int().min(0).max(365),
    caseType: caseTypeSchema,
    /** 受理条件 */
    conditions: localizedSchema,
    /** 办理流程: at most four steps (reform point 13 in docs/domain.md, 减环节). */
    steps: z.array(stepSchema).min(1).max(4),
    /** 结果名称 */
    resultName: localizedSchema,
    /** 是否收费; amount in fen (分) when charged. */
    fee: z.object({
      charged: z.boolean(),
      amountFen: z.number().int().nonnegative().optional(),
      description: localizedSchema,
    }),
    /** 服务对象 */
    serviceObjects: z.array(z.enum(['person', 'legal-person'])).min(1),
    /** 通办范围 */
    scope: z.enum(['district', 'city', 'province', 'national']),
    /** Result delivery (最多跑一次): free EMS delivery and/or pickup at the hall. */
    delivery: z.object({ ems: z.boolean(), pickup: z.boolean() }),
    appointment: z.boolean(),
    location: localizedSchema,
    hours: localizedSchema,
    consultPhone: z.string().regex(/^[0-9-]{7,20}$/),
    supervisePhone: z.string().regex(/^[0-9-]{7,20}$/),
    materials: z.array(materialSchema),
    form: z.array(formFieldSchema).min(1),
    /** Extra search words (Chinese); pinyin initials are derived from the name at load time. */
    keywords: z.array(z.string().min(1)).default([]),
  })
  .superRefine((item, ctx) => {
    // 减时限: 承诺时限 ≤ ½ 法定时限 (reform point 13 in docs/domain.md).
    if (item.promisedDays * 2 > item.legalDays) {
      ctx.addIssue({
        code: 'custom',
        path: ['promisedDays'],
        message: `promised time (${item.promisedDays}) must be at most half the legal time (${item.legalDays})`,
      });
    }
    if (item.caseType === 'immediate' && item.promisedDays !== 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['promisedDays'],
        message: '即办件 (immediate items) are promised in 0 working days',
      });
    }
    if (item.caseType === 'promised' && item.promisedDays === 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['promisedDays'],
        message: '承诺件 need a promised time of at least one working day',
      });
    }
    if (item.fee.charged !== (item.fee.amountFen !== undefined && item.fee.amountFen > 0)) {
      ctx.addIssue({
        code: 'custom',
        path: ['fee'],
        message: 'a charged item states its fee, a free one does not',
      });
    }
    if (!item.delivery.ems && !item.delivery.pickup) {
      ctx.addIssue({ code: 'custom', path: ['delivery'], message: 'at least one delivery option' });
    }
    reportDuplicates(
      item.materials.map((m) => m.code),
      ['materials'],
      ctx,
    );
    reportDuplicates(
      item.form.map((f) => f.key),
      ['form'],
      ctx,
    );
  });

/** 一件事 package: several items across departments, one form, one de-duplicated set of materials. */
export const bundleSchema = z.object({
  code: codeSchema,
  name: localizedSchema,
  description: localizedSchema,
  window: windowCodeSchema,
  items: z.array(codeSchema).min(2),
});

export const catalogSchema = z
  .object({
    version: z.string().min(1),
    windows: z.array(windowCategorySchema).min(1),
    items: z.array(serviceItemSchema),
    bundles: z.array(bundleSchema),
  })
  .superRefine((catalog, ctx) => {
    const windows = new Set(catalog.windows.map((w) => w.code));
    const items = new Set(catalog.items.map((i) => i.code));
    reportDuplicates(
      catalog.windows.map((w) => w.code),
      ['windows'],
      ctx,
    );
    reportDuplicates(
      catalog.items.map((i) => i.code),
      ['items'],
      ctx,
    );
    reportDuplicates(
      catalog.bundles.map((b) => b.code),
      ['bundles'],
      ctx,
    );
    catalog.items.forEach((item, i) => {
      if (!windows.has(item.window)) {
        ctx.addIssue({
          code: 'custom',
          path: ['items', i, 'window'],
          message: `unknown window ${item.window}`,
        });
      }
    });
    catalog.bundles.forEach((bundle, b) => {
      reportDuplicates(bundle.items, ['bundles', b, 'items'], ctx);
      if (!windows.has(bundle.window)) {
        ctx.addIssue({
          code: 'custom',
          path: ['bundles', b, 'window'],
          message: `unknown window ${bundle.window}`,
        });
      }
      bundle.items.forEach((code, i) => {
        if (!items.has(code)) {
          ctx.addIssue({ code: 'custom', path: ['bundles', b, 'items', i], message: `unknown item ${code}` });
        }
      });
    });
  });

function reportDuplicates(values: readonly string[], path: (string | number)[], ctx: z.RefinementCtx): void {
  const seen = new Set<string>();
  for (const value of values) {
    if (seen.has(value)) ctx.addIssue({ code: 'custom', path, message: `duplicate code ${value}` });
    seen.add(value);
  }
}
