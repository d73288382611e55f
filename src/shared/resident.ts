/**
 * The resident's journey as the renderer and the backend both see it (docs/resident-journey.md): form and
 * delivery validation (the renderer checks as the resident types, the backend checks again on submit — the
 * same code), masked identities, the apply plan of an item or bundle, applications and their
 * progress. Personal data never crosses to the renderer unmasked except what the resident typed.
 * No zod at run time here (the renderer imports it); the delivery schema is in resident-schemas.ts.
 */
import type { z } from 'zod';
import type { CaseType, FormField, Localized, WindowCode } from './catalog.js';
import { checkIdNumber } from './gb11643.js';
import type { CaseStatus } from './case-status.js';
import type { deliveryInputSchema, deliverySchema } from './resident-schemas.js';

// ---------------------------------------------------------------------------------------------
// Field validation

export type FieldProblem =
  | 'required'
  | 'too-long'
  | 'id-number-format'
  | 'id-number-checksum'
  | 'phone'
  | 'postcode'
  | 'date'
  | 'number'
  | 'option'
  | 'uscc'
  | 'name'
  | 'too-short'
  | 'integer'
  | 'digits'
  | 'code';

export type FieldError = { key: string; problem: FieldProblem };

/** Default length limits by field type (a catalog field's maxLength wins). */
const DEFAULT_MAX: Record<FormField['type'], number> = {
  text: 100,
  textarea: 500,
  name: 40,
  'id-number': 18,
  phone: 13,
  postcode: 6,
  date: 10,
  number: 12,
  select: 64,
  address: 120,
  'unified-social-credit-code': 18,
};

/** Mobile (1[3-9] + 9 digits) or a landline with area code (029-88886666 / 02988886666). */
export function isPhoneNumber(v: string): boolean {
  return /^1[3-9]\d{9}$/.test(v) || /^0\d{2,3}-?\d{7,8}$/.test(v);
}

export function isPostcode(v: string): boolean {
  return /^[1-9]\d{5}$/.test(v);
}

export function isCalendarDate(v: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const dt = new Date(Date.UTC(y, mo - 1, d));
  return y >= 1900 && dt.getUTCFullYear() === y && dt.getUTCMonth() === mo - 1 && dt.getUTCDate() === d;
}

const USCC_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;

/** 统一社会信用代码, GB 32100-2015: 18 characters of the code set, check character mod 31. */
export function isUnifiedSocialCreditCode(v: string): boolean {
  if (!/^[0-9A-HJ-NP-RTUW-Y]{18}$/.test(v)) return false;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += USCC_CHARS.indexOf(v[i]!) * USCC_WEIGHTS[i]!;
  const check = (31 - (sum % 31)) % 31;
  return USCC_CHARS[check] === v[17];
}

/** A person's name: letters of any script, the middle dot of minority names, spaces; no digits. */
function isPersonName(v: string): boolean {
  return /^[\p{L}\p{M}][\p{L}\p{M}·・. '-]*$/u.test(v);
}

/** The problem with one value, or null. Values are trimmed by the caller. */
export function validateField(
  field: Pick<FormField, 'type' | 'required' | 'maxLength' | 'options' | 'input'>,
  value: string,
): FieldProblem | null {
  if (value === '') return field.required ? 'required' : null;
  if ([...value].length > (field.maxLength ?? DEFAULT_MAX[field.type])) return 'too-long';
  switch (field.type) {
    case 'text':
    case 'textarea':
    case 'address':
      if (field.input === 'digits') return /^\d+$/.test(value) ? null : 'digits';
      if (field.input === 'code') return /^[0-9A-Z][0-9A-Z-]*$/.test(value) ? null : 'code';
      return null;
    case 'name':
      return isPersonName(value) ? null : 'name';
    case 'id-number': {
      const p = checkIdNumber(value);
      return p === null ? null : p === 'format' ? 'id-number-format' : 'id-number-checksum';
    }
    case 'phone':
      return isPhoneNumber(value) ? null : 'phone';
    case 'postcode':
      return isPostcode(value) ? null : 'postcode';
    case 'date':
      return isCalendarDate(value) ? null : 'date';
    case 'number':
      if (field.input === 'integer') return /^\d+$/.test(value) ? null : 'integer';
      return /^\d+(\.\d{1,2})?$/.test(value) ? null : 'number';
    case 'select':
      return field.options?.some((o) => o.value === value) ? null : 'option';
    case 'unified-social-credit-code':
      return isUnifiedSocialCreditCode(value) ? null : 'uscc';
    default: {
      const never: never = field.type;
      return never;
    }
  }
}

export type FormValues = Record<string, string>;

export function validateForm(fields: readonly FormField[], values: FormValues): FieldError[] {
  const errors: FieldError[] = [];
  for (const f of fields) {
    const problem = validateField(f, (values[f.key] ?? '').trim());
    if (problem) errors.push({ key: f.key, problem });
  }
  return errors;
}

// ---------------------------------------------------------------------------------------------
// Delivery (最多跑一次)

/** Result delivery as the resident chose it; parsed by `deliverySchema` (resident-schemas.ts). */
export type Delivery = z.infer<typeof deliverySchema>;
export type EmsDelivery = Extract<Delivery, { method: 'ems' }>;
/** What the screen sends: `recipientIsApplicant` lets the backend fill the card holder's full name. */
export type DeliveryInput = z.infer<typeof deliveryInputSchema>;

/** True when the resident chose 同申请人 (the backend fills the name; nothing to check on screen). */
export function recipientIsApplicant(d: Delivery | DeliveryInput): boolean {
  return d.method === 'ems' && 'recipientIsApplicant' in d && d.recipientIsApplicant === true;
}

export const EMS_FIELDS = [
  { key: 'recipient', type: 'name', required: true },
  { key: 'phone', type: 'phone', required: true },
  { key: 'address', type: 'address', required: true },
  { key: 'postcode', type: 'postcode', required: true },
] as const satisfies readonly {
  key: keyof Omit<EmsDelivery, 'method'>;
  type: FormField['type'];
  required: boolean;
}[];

export function validateDelivery(d: Delivery | DeliveryInput): FieldError[] {
  if (d.method === 'pickup') return [];
  const errors: FieldError[] = [];
  const sameAsApplicant = recipientIsApplicant(d);
  for (const f of EMS_FIELDS) {
    if (f.key === 'recipient' && sameAsApplicant) continue;
    const problem = validateField(f, d[f.key].trim());
    if (problem) errors.push({ key: f.key, problem });
    // An address needs more than a city name for a courier to find the door.
    else if (f.key === 'address' && [...d.address.trim()].length < 6)
      errors.push({ key: f.key, problem: 'too-short' });
  }
  return errors;
}

// ---------------------------------------------------------------------------------------------
// Identity and session

/** What the screen may show of a card holder: masked name and number, never the photo. */
export type MaskedIdentity = {
  cardType: 'resident' | 'hmt' | 'foreign2017' | 'foreign2023' | 'manual';
  nameMasked: string;
  idMasked: string;
};

export type SessionRole = 'applicant' | 'helper';

/** Pre-fill for the form: name and ID number are locked (filled by the backend on submit). */
export type Prefill = {
  /** Display values; for locked sources these are masked. */
  values: Partial<Record<'name' | 'idNumber' | 'sex' | 'birthDate' | 'nation' | 'address', string>>;
  locked: ('name' | 'idNumber')[];
};

export type CapturedPage = { sha256: string; width: number; height: number; size: number; thumb: string };

export type SessionView = {
  id: string;
  startedAt: string;
  mode: 'self' | 'assisted';
  applicant: MaskedIdentity | null;
  helper: MaskedIdentity | null;
  prefill: Prefill;
  /** Pages captured in this session, per material code, in order. */
  captured: Record<string, CapturedPage[]>;
};

export type EndReason = 'finished' | 'timeout' | 'home' | 'card-removed';

// ---------------------------------------------------------------------------------------------
// Apply plan, submission, progress

export type ApplyTarget = { kind: 'item'; code: string } | { kind: 'bundle'; code: string };

/**
 * 'confirmed': the hall holds it as a shared electronic licence (已调用电子证照，无需提交);
 * 'unconfirmed': it could be one but the hall could not confirm it now (offline) — asked for;
 * 'not-applicable': an ordinary material.
 */
export type LicenceState = 'confirmed' | 'unconfirmed' | 'not-applicable';

export type PlanMaterial = {
  code: string;
  name: Localized;
  requirements: Localized;
  required: boolean;
  licence: LicenceState;
  originals: number;
  copies: number;
  /** The items of a bundle that ask for it. */
  items: string[];
};

export type PlanField = FormField & { items: string[] };

export type ApplyPlan = {
  target: ApplyTarget;
  name: Localized;
  window: WindowCode;
  items: { code: string; name: Localized; caseType: CaseType; legalDays: number; promisedDays: number }[];
  fields: PlanField[];
  materials: PlanMaterial[];
  delivery: { ems: boolean; pickup: boolean };
  /** Every item is 即办件: the kiosk may wait for the hall's decision. */
  immediate: boolean;
};

/** An application's status at the kiosk: the case lifecycle of case-status.ts. */
export type ApplicationStatus = CaseStatus;

export type PrintState = 'printed' | 'failed' | 'no-printer' | 'pending';

export type ApplicationSummary = {
  id: string;
  receiptNo: string;
  itemCode: string;
  itemName: Localized;
  caseType: CaseType;
  applicantMasked: string;
  submittedAt: string;
  promisedDate: string | null;
  status: CaseStatus;
  deliveryMethod: 'ems' | 'pickup' | null;
  printState: PrintState;
  printDetail: string | null;
  bundleSubmissionId: string | null;
};

export type ApplicationDetail = ApplicationSummary & {
  history: { status: CaseStatus; at: string; source: 'kiosk' | 'hall'; note: string | null }[];
  /** The open 补齐补正 request, if any: what to bring, by material. */
  correction: {
    requestedAt: string;
    note: string | null;
    materials: { code: string; name: Localized }[];
  } | null;
  /** When the hall last answered this kiosk (null: never); the screen shows it offline. */
  lastSyncAt: string | null;
  hallAcknowledged: boolean;
  evaluated: boolean;
};

export const RECEIPT_NO_PATTERN = /^[A-Z0-9]{2,8}-\d{8}-\d{4,6}$/;

/**
 * What a queue ticket's QR code holds: the hall's public page for this number (a phone opens it to
 * follow the queue), built on the same base as the receipt's progress URL. Service day, window and
 * number identify the ticket at the hall; nothing personal is in it.
 */
export function queueQrPayload(
  baseUrl: string,
  ticket: { serviceDate: string; window: string; number: string },
): string {
  const q = new URLSearchParams({ d: ticket.serviceDate, w: ticket.window, n: ticket.number });
  return `${baseUrl.replace(/\/+$/, '')}/queue?${q.toString()}`;
}
