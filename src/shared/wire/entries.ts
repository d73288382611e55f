/**
 * The outbox entries a kiosk pushes to the hall (docs/contract.md, "Entry kinds"; protocol in
 * docs/sync-protocol.md): one zod schema per kind, written by the kiosk's services and read by the
 * hall's push handler with the same schema. An entry whose payload does not parse is recorded as
 * rejected at the hall and its seq still advances (one bad entry never blocks a kiosk's queue).
 *
 * Readers ignore properties they do not know (a newer kiosk may add some); writers build payloads
 * typed by these schemas, so the kiosk cannot write what the hall would refuse.
 */
import { z } from 'zod';
import { caseTypeSchema, windowCodeSchema } from '../catalog-schemas.js';
import { evaluationLevelSchema } from '../evaluation-schemas.js';
import { PRIORITY_KINDS, TICKET_NUMBER, isPriorityNumber } from '../queue-ticket.js';
import { RECEIPT_NO_PATTERN } from '../resident.js';
import { deliverySchema } from '../resident-schemas.js';

export const HEX64 = /^[0-9a-f]{64}$/;

/**
 * Why the hall refused one pushed entry (docs/sync-protocol.md, "Push"): each refused entry carries one
 * in its result, the rest of the batch is applied as usual.
 * - `unknown-kind`, `not-json`, `invalid`: the entry does not parse with the contract's schema;
 * - `out-of-range`: it parses, but a value is outside what the service can mean (`entryRangeProblems`);
 * - `already-received`: the same application, supplement, evaluation or ticket came under another seq;
 * - `unknown-application`: a supplement or evaluation names an application the hall does not have;
 * - `not-owner`: a supplement or evaluation of an application another kiosk submitted.
 */
export const ENTRY_REJECT_CODES = [
  'unknown-kind',
  'not-json',
  'invalid',
  'out-of-range',
  'already-received',
  'unknown-application',
  'not-owner',
] as const;
export type EntryRejectCode = (typeof ENTRY_REJECT_CODES)[number];

/** Years a date in an entry may have: a resident's case is of this century (a typo or an attack is not). */
export const ENTRY_YEARS = { min: 2000, max: 2099 } as const;
/** 承诺时限 in working days: no item promises more than a year. */
export const MAX_PROMISED_DAYS = 365;

/** ISO-8601 UTC instant with a four-digit year (a year like +275760 is refused at the boundary). */
export const instantSchema = z.iso.datetime({ offset: false });
/** A calendar day, YYYY-MM-DD. */
export const daySchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD');
export const sha256Schema = z.string().regex(HEX64, 'expected 64 lowercase hex digits');
const code = z.string().min(1).max(64);
const receiptNo = z.string().regex(RECEIPT_NO_PATTERN, 'expected a receipt number like ZZ01-20261126-0001');
/** 属地: an administrative division code (6 digits; 9 or 12 for a town or village). */
export const jurisdictionSchema = z
  .string()
  .regex(/^\d{6}(\d{3}(\d{3})?)?$/, 'expected a 6, 9 or 12 digit administrative division code');

/** One scanned page of a material: a content-addressed file pushed first (blobs before entries). */
export const attachmentSchema = z.object({
  materialCode: code,
  sha256: sha256Schema,
  size: z
    .number()
    .int()
    .min(0)
    .max(64 * 1024 * 1024),
  position: z.number().int().min(0).max(1000),
  mime: z.enum(['image/jpeg', 'image/png', 'application/pdf']),
});
export type Attachment = z.infer<typeof attachmentSchema>;

const personSchema = z.object({ name: z.string().min(1).max(64), idNumber: z.string().min(1).max(32) });

/** One application for one service item (a 一件事 bundle makes one per item, sharing `bundle`). */
export const applicationEntrySchema = z.object({
  id: z.uuid(),
  receiptNo,
  itemCode: code,
  caseType: caseTypeSchema,
  /** 异地申报、属地审批: the hall routes the case by this, not by the kiosk's own jurisdiction. */
  jurisdiction: jurisdictionSchema,
  submittedAt: instantSchema,
  /** 承诺时限 in working days (0 for a 即办件): the hall counts its own deadline with its calendar. */
  promisedDays: z.number().int().min(0).max(3650),
  /** The promised date the resident was told (the kiosk's count), YYYY-MM-DD. */
  promisedDate: daySchema.nullable(),
  bundle: z.object({ code, submissionId: z.uuid() }).nullable(),
  applicant: personSchema.extend({
    cardType: z.enum(['resident', 'hmt', 'foreign2017', 'foreign2023', 'manual']),
  }),
  /** 帮办代办: the helper who applied on the applicant's behalf. */
  helper: personSchema.nullable(),
  /** Form values by the catalog item's field keys. */
  form: z.record(z.string().min(1).max(40), z.string().max(2000)),
  delivery: deliverySchema,
  /** Materials the hall confirmed as shared electronic licences (not scanned). */
  licences: z.array(code).max(100),
  integrityAcknowledgedAt: instantSchema,
  attachments: z.array(attachmentSchema).max(500),
});
export type ApplicationEntry = z.infer<typeof applicationEntrySchema>;

/** 补齐补正: pages for the materials the hall asked for, added to an application it already has. */
export const supplementEntrySchema = z.object({
  id: z.uuid(),
  applicationId: z.uuid(),
  receiptNo,
  submittedAt: instantSchema,
  attachments: z.array(attachmentSchema).min(1).max(500),
});
export type SupplementEntry = z.infer<typeof supplementEntrySchema>;

/** 好差评 of an application or a queue ticket; the evaluator's identity is not part of it. */
export const evaluationEntrySchema = z.object({
  id: z.uuid(),
  targetKind: z.enum(['application', 'ticket']),
  targetId: z.uuid(),
  level: evaluationLevelSchema,
  contentItems: z.array(code).max(30),
  reason: z.string().max(200).nullable(),
  comment: z.string().max(1000).nullable(),
  channel: z.literal('self-service-terminal'),
  itemsVersion: z.string().min(1).max(64),
  createdAt: instantSchema,
});
export type EvaluationEntry = z.infer<typeof evaluationEntrySchema>;

/** A queue ticket the kiosk numbered from its own offline range; it joins the hall's queue late. */
export const priorityKindSchema = z.enum(PRIORITY_KINDS);

export const ticketEntrySchema = z
  .object({
    id: z.uuid(),
    idempotencyKey: z.string().min(8).max(80),
    window: windowCodeSchema,
    number: z
      .string()
      .regex(TICKET_NUMBER, 'expected a letter and three digits (P and a letter for priority)'),
    serviceDate: daySchema,
    issuedAt: instantSchema,
    source: z.literal('offline'),
    /** 优先号 (src/shared/queue-ticket.ts): absent from ordinary tickets and from kiosks before it existed. */
    priority: priorityKindSchema.optional(),
  })
  .refine((t) => isPriorityNumber(t.number) === (t.priority !== undefined), {
    message: 'a priority ticket has a P-series number, an ordinary ticket does not',
    path: ['number'],
  });
export type TicketEntry = z.infer<typeof ticketEntrySchema>;

export const entrySchemas = {
  application: applicationEntrySchema,
  supplement: supplementEntrySchema,
  evaluation: evaluationEntrySchema,
  'queue-ticket': ticketEntrySchema,
} as const;

export type EntryKind = keyof typeof entrySchemas;
export const ENTRY_KINDS = Object.keys(entrySchemas) as EntryKind[];
export const isEntryKind = (k: string): k is EntryKind => Object.hasOwn(entrySchemas, k);

/** The payload type of each kind. */
export type EntryPayloads = { [K in EntryKind]: z.infer<(typeof entrySchemas)[K]> };
/** An entry as a tagged union: what the kiosk writes and what the hall applies. */
export type Entry = { [K in EntryKind]: { kind: K; payload: EntryPayloads[K] } }[EntryKind];

export type ParsedEntry =
  | { ok: true; entry: Entry }
  | { ok: false; code: Extract<EntryRejectCode, 'unknown-kind' | 'not-json' | 'invalid'>; reason: string };

/** zod issues as "path: message" lines, at most `max` of them and a count of the rest. */
export function issueList(error: z.ZodError, max = 10): string[] {
  const all = error.issues.map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`);
  return all.length > max ? [...all.slice(0, max), `… ${all.length - max} more`] : all;
}

/** zod issues as one line, for a rejection reason or an API error message. */
export const describeIssues = (error: z.ZodError, max = 10): string => issueList(error, max).join('; ');

/** Parses an entry as it arrives at the hall: its kind, then its JSON payload with the kind's schema. */
export function parseEntry(kind: string, payload: string): ParsedEntry {
  if (!isEntryKind(kind))
    return { ok: false, code: 'unknown-kind', reason: `unknown entry kind "${kind.slice(0, 64)}"` };
  let json: unknown;
  try {
    json = JSON.parse(payload);
  } catch {
    return { ok: false, code: 'not-json', reason: 'payload is not JSON' };
  }
  const r = entrySchemas[kind].safeParse(json);
  if (!r.success)
    return { ok: false, code: 'invalid', reason: `invalid ${kind}: ${describeIssues(r.error)}` };
  return { ok: true, entry: { kind, payload: r.data } as Entry };
}

/** The payload text of an entry, as the kiosk stores it in its outbox (hashed as written). */
export const encodeEntry = <K extends EntryKind>(_kind: K, payload: EntryPayloads[K]): string =>
  JSON.stringify(payload);

/** The blobs an entry references: every attachment's sha256 (uploaded before the entry is pushed). */
export function entryBlobs(entry: Entry): string[] {
  switch (entry.kind) {
    case 'application':
    case 'supplement':
      return [...new Set(entry.payload.attachments.map((a) => a.sha256))];
    case 'evaluation':
    case 'queue-ticket':
      return [];
    default: {
      const never: never = entry;
      return never;
    }
  }
}

/** The year of an instant or a day as written (`2026-…`), or null when it is not a real date. */
function yearOf(text: string, day: boolean): number | null {
  const ms = Date.parse(day ? `${text}T00:00:00Z` : text);
  if (Number.isNaN(ms)) return null;
  const d = new Date(ms);
  // A day like 2026-02-31 parses as 3 March: only the same day written back is a real one.
  if (day && d.toISOString().slice(0, 10) !== text) return null;
  return d.getUTCFullYear();
}

/**
 * What in a parsed entry is outside what the service can mean, as "path: problem" lines (none when all
 * is well): every date a real one in ENTRY_YEARS, 承诺时限 at most MAX_PROMISED_DAYS, a promised date
 * not before the submission. The hall refuses such an entry (`out-of-range`) and applies the rest of the
 * batch; a bad date can then never reach its reports.
 */
export function entryRangeProblems(entry: Entry): string[] {
  const problems: string[] = [];
  const date = (path: string, text: string | null, day = false) => {
    if (text === null) return;
    const year = yearOf(text, day);
    if (year === null) problems.push(`${path}: not a real date`);
    else if (year < ENTRY_YEARS.min || year > ENTRY_YEARS.max)
      problems.push(`${path}: year ${year} outside ${ENTRY_YEARS.min}–${ENTRY_YEARS.max}`);
  };
  switch (entry.kind) {
    case 'application': {
      const v = entry.payload;
      date('submittedAt', v.submittedAt);
      date('integrityAcknowledgedAt', v.integrityAcknowledgedAt);
      date('promisedDate', v.promisedDate, true);
      if (v.promisedDays > MAX_PROMISED_DAYS)
        problems.push(`promisedDays: ${v.promisedDays} is more than ${MAX_PROMISED_DAYS}`);
      if (v.promisedDate !== null && problems.length === 0 && v.promisedDate < v.submittedAt.slice(0, 10))
        problems.push('promisedDate: before submittedAt');
      break;
    }
    case 'supplement':
      date('submittedAt', entry.payload.submittedAt);
      break;
    case 'evaluation':
      date('createdAt', entry.payload.createdAt);
      break;
    case 'queue-ticket':
      date('issuedAt', entry.payload.issuedAt);
      date('serviceDate', entry.payload.serviceDate, true);
      break;
    default: {
      const never: never = entry;
      return never;
    }
  }
  return problems;
}
