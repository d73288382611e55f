/**
 * The application form without React: which keyboard a field gets, what the card pre-fills, which
 * fields are locked (name and ID number: the backend fills them from the card on submit), the
 * errors to show, and what the delivery step can take over from the form.
 */
import {
  EMS_FIELDS,
  validateDelivery,
  validateField,
  type ApplyPlan,
  type CapturedPage,
  type Delivery,
  type DeliveryInput,
  type FieldError,
  type FieldProblem,
  type FormValues,
  type InputKind,
  type PlanField,
  type PlanMaterial,
  type Prefill,
} from '../../../shared/browser.js';
import type { KeyboardLayout } from '../../lib/keyboard-state.js';

type FieldType = PlanField['type'];

type KeyedField = { type: FieldType; input?: InputKind | undefined };

/** What the field takes: its catalog `input`, else the default of its type (docs/catalog.md). */
export function inputKindOf(field: KeyedField): InputKind | null {
  if (field.input) return field.input;
  switch (field.type) {
    case 'name':
    case 'text':
    case 'textarea':
    case 'address':
      return 'text';
    case 'number':
      return 'decimal';
    case 'unified-social-credit-code':
      return 'code';
    case 'phone':
    case 'postcode':
    case 'date':
    case 'id-number':
    case 'select':
      return null;
    default: {
      const never: never = field.type;
      return never;
    }
  }
}

/** The on-screen keyboard layouts of a field, the first showing first. */
export function layoutsFor(field: KeyedField): readonly KeyboardLayout[] {
  switch (inputKindOf(field)) {
    case 'text':
      return ['pinyin', 'letters'];
    case 'code':
      return ['letters'];
    case 'digits':
    case 'integer':
      return ['digits'];
    case 'decimal':
      return ['decimal'];
    case null:
      break;
  }
  // Fields without an input kind have their own pads; a postcode and a date take digits.
  if (field.type === 'phone') return ['phone'];
  if (field.type === 'id-number') return ['id-number'];
  if (field.type === 'select') return [];
  return ['digits'];
}

/** Codes are typed in capitals from the first key (the letters come out upper case anyway). */
export function upperFor(field: KeyedField): boolean {
  return inputKindOf(field) === 'code';
}

/** The keyboard's limit for a field (a landline with a 4-digit area code has 12 digits). */
export function keyboardLimit(field: Pick<PlanField, 'type' | 'maxLength'>): number | undefined {
  switch (field.type) {
    case 'phone':
      return 12;
    case 'postcode':
      return 6;
    case 'date':
      return 10;
    case 'id-number':
    case 'unified-social-credit-code':
      return 18;
    case 'name':
    case 'text':
    case 'textarea':
    case 'address':
    case 'number':
    case 'select':
      return field.maxLength;
    default: {
      const never: never = field.type;
      return never;
    }
  }
}

/** Digits typed on the number pad → YYYY-MM-DD as the resident goes (20261031 → 2026-10-31). */
export function formatDateDigits(text: string): string {
  const d = text.replace(/\D/g, '').slice(0, 8);
  if (d.length <= 4) return d;
  if (d.length <= 6) return `${d.slice(0, 4)}-${d.slice(4)}`;
  return `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6)}`;
}

/** What a value becomes after a keystroke, by field type and input kind. */
export function normalizeInput(field: KeyedField, next: string): string {
  if (field.type === 'date') return formatDateDigits(next);
  if (field.type === 'id-number' || inputKindOf(field) === 'code') return next.toUpperCase();
  return next;
}

export function isLocked(field: Pick<PlanField, 'prefill'>, prefill: Prefill): boolean {
  return field.prefill !== undefined && (prefill.locked as readonly string[]).includes(field.prefill);
}

/** The masked value a locked field shows. */
export function lockedValue(field: Pick<PlanField, 'prefill'>, prefill: Prefill): string {
  return field.prefill ? (prefill.values[field.prefill] ?? '') : '';
}

/** Values from the card for editable fields that are still empty (a select only takes a valid option). */
export function prefillValues(
  fields: readonly PlanField[],
  prefill: Prefill,
  current: FormValues,
): FormValues {
  const out: FormValues = { ...current };
  for (const f of fields) {
    if (!f.prefill || isLocked(f, prefill) || (out[f.key] ?? '') !== '') continue;
    const v = prefill.values[f.prefill];
    if (v === undefined || v === '') continue;
    if (f.type === 'select' && !f.options?.some((o) => o.value === v)) continue;
    out[f.key] = v;
  }
  return out;
}

/** Which editable fields the card filled in (so the screen can say so). */
export function prefilledKeys(fields: readonly PlanField[], prefill: Prefill): Set<string> {
  return new Set(
    fields
      .filter((f) => f.prefill && !isLocked(f, prefill) && (prefill.values[f.prefill] ?? '') !== '')
      .map((f) => f.key),
  );
}

/** The resident's fields' errors; locked fields are the backend's to fill and are not checked here. */
export function formErrors(fields: readonly PlanField[], values: FormValues, prefill: Prefill): FieldError[] {
  const errors: FieldError[] = [];
  for (const f of fields) {
    if (isLocked(f, prefill)) continue;
    const problem = validateField(f, (values[f.key] ?? '').trim());
    if (problem) errors.push({ key: f.key, problem });
  }
  return errors;
}

export function errorMap(errors: readonly FieldError[]): Map<string, FieldProblem> {
  return new Map(errors.map((e) => [e.key, e.problem]));
}

// ---------------------------------------------------------------------------------------------
// Delivery

export type DeliveryDraft = {
  method: Delivery['method'] | null;
  /**
   * 收件人为申请人本人: the screen shows the masked name and sends no name; the backend fills the full
   * name it holds from the card. On by default (the parcel usually goes to the applicant).
   */
  sameAsApplicant: boolean;
  recipient: string;
  phone: string;
  address: string;
  postcode: string;
};

export const EMPTY_DELIVERY: DeliveryDraft = {
  method: null,
  sameAsApplicant: true,
  recipient: '',
  phone: '',
  address: '',
  postcode: '',
};

/**
 * The EMS fields the form and the card already know: the contact phone, the address and a postcode
 * field. The recipient's name is not taken over — the screen only ever has the masked name; 同申请人
 * lets the backend fill it.
 */
export function deliveryDefaults(
  draft: DeliveryDraft,
  fields: readonly PlanField[],
  values: FormValues,
  prefill: Prefill,
  offered: ApplyPlan['delivery'],
): DeliveryDraft {
  const first = (type: FieldType) => {
    const f = fields.find((x) => x.type === type && (values[x.key] ?? '').trim() !== '');
    return f ? (values[f.key] ?? '').trim() : '';
  };
  const only = offered.ems && !offered.pickup ? 'ems' : offered.pickup && !offered.ems ? 'pickup' : null;
  return {
    method: draft.method ?? only,
    sameAsApplicant: draft.sameAsApplicant,
    recipient: draft.recipient,
    phone: draft.phone || first('phone'),
    address: draft.address || first('address') || (prefill.values.address ?? ''),
    postcode: draft.postcode || first('postcode'),
  };
}

/** What `application.submit` gets: 同申请人 sends the flag and no name. */
export function toDelivery(draft: DeliveryDraft): DeliveryInput | null {
  if (draft.method === 'pickup') return { method: 'pickup' };
  if (draft.method === 'ems') {
    return {
      method: 'ems',
      recipientIsApplicant: draft.sameAsApplicant,
      recipient: draft.sameAsApplicant ? '' : draft.recipient.trim(),
      phone: draft.phone.trim(),
      address: draft.address.trim(),
      postcode: draft.postcode.trim(),
    };
  }
  return null;
}

export function deliveryErrors(draft: DeliveryDraft): FieldError[] {
  const d = toDelivery(draft);
  return d ? validateDelivery(d) : [];
}

export { EMS_FIELDS };

// ---------------------------------------------------------------------------------------------
// Materials

/** Materials that must be captured here (an e-licence the hall confirmed is not). */
export function capturable(materials: readonly PlanMaterial[]): PlanMaterial[] {
  return materials.filter((m) => m.licence !== 'confirmed');
}

/** Required materials without a page yet. */
export function missingMaterials(
  materials: readonly PlanMaterial[],
  captured: Readonly<Record<string, CapturedPage[]>>,
): PlanMaterial[] {
  return materials.filter(
    (m) => m.required && m.licence !== 'confirmed' && (captured[m.code]?.length ?? 0) === 0,
  );
}
