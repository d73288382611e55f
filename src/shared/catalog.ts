/**
 * Service catalog contract (事项目录): the closed lists and the types, without zod at run time so
 * the renderer may import it. The schemas that parse a catalog (and define these types) are in
 * catalog-schemas.ts, imported by Node code only.
 */
import type { z } from 'zod';
import type {
  bundleSchema,
  caseTypeSchema,
  catalogSchema,
  formFieldSchema,
  localizedSchema,
  materialSchema,
  serviceItemSchema,
  windowCategorySchema,
} from './catalog-schemas.js';

/** The five comprehensive windows of 一窗受理 (reform point 2, docs/domain.md). */
export const WINDOW_CODES = ['zzlb', 'gcbj', 'swfw', 'bdcdj', 'ylsb'] as const;
export type WindowCode = (typeof WINDOW_CODES)[number];

/** 事项类型 */
export const ITEM_TYPES = [
  'licensing', // 行政许可
  'payment', // 行政给付
  'confirmation', // 行政确认
  'reward', // 行政奖励
  'ruling', // 行政裁决
  'other', // 其他行政权力
  'public-service', // 公共服务
] as const;

export const FIELD_TYPES = [
  'text',
  'textarea',
  'name',
  'id-number',
  'phone',
  'postcode',
  'date',
  'number',
  'select',
  'address',
  'unified-social-credit-code',
] as const;

/**
 * What a text or number field takes, and so which keys its on-screen keyboard shows (docs/catalog.md):
 * `text` Chinese and Latin text with digits and punctuation (the default of text fields: 不动产权证书号
 * 陕（2024）…第0001234号, addresses with house numbers); `code` upper-case letters, digits and "-"
 * (project codes, permit numbers); `digits` digits only (bank accounts); `integer` a whole number
 * (counts, a year); `decimal` a number with up to two decimals (the default of number fields: 89.56).
 */
export const INPUT_KINDS = ['text', 'code', 'digits', 'integer', 'decimal'] as const;
export type InputKind = (typeof INPUT_KINDS)[number];

/** Identity fields from the ID card a form field may be pre-filled with. */
export const PREFILL_SOURCES = ['name', 'idNumber', 'sex', 'birthDate', 'nation', 'address'] as const;

/** Every piece of resident-facing copy exists in Chinese (primary) and English. */
export type Localized = z.infer<typeof localizedSchema>;
export type WindowCategory = z.infer<typeof windowCategorySchema>;
/** 办件类型: 即办件 (decided on the spot) or 承诺件 (decided within the promised time). */
export type CaseType = z.infer<typeof caseTypeSchema>;
export type Material = z.infer<typeof materialSchema>;
export type FormField = z.infer<typeof formFieldSchema>;
export type ServiceItem = z.infer<typeof serviceItemSchema>;
/** 一件事 package: several items across departments, one form, one de-duplicated set of materials. */
export type Bundle = z.infer<typeof bundleSchema>;
export type Catalog = z.infer<typeof catalogSchema>;
