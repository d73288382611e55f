/**
 * The hall-owned documents a kiosk pulls (docs/contract.md, "Streams"): each stream's name, keys and
 * data schema, read by the kiosk and published by the hall with the same schemas. The hall is a
 * trust boundary: a document that does not parse is never applied — it is refused (recorded and
 * shown to the technician) and the previous version stays in force.
 *
 * The catalog, holiday calendar, evaluation content items and window hours use the schemas their seeds
 * are read with, so a document the hall may publish is exactly a document a kiosk could ship with.
 */
import { z } from 'zod';
import { catalogSchema, windowCodeSchema } from '../catalog-schemas.js';
import type { Catalog, WindowCode } from '../catalog.js';
import { evaluationItemsSchema } from '../evaluation-schemas.js';
import type { EvaluationItems } from '../evaluation.js';
import { holidayCalendarSchema, isIsoDate, type HolidayCalendar } from '../working-days.js';
import { openingHoursSchema, type OpeningHours } from '../opening-hours.js';
import type { HallCaseStatus } from '../case-status.js';
import { instantSchema, issueList } from './entries.js';

/** Key of the single-document streams: the hall publishes the whole current document each time. */
export const CURRENT_KEY = 'current';

/**
 * What the hall may set of the kiosk's configuration (`kiosk-config/current`): what residents read
 * on screen and how long an idle session lasts — never device addresses, the hall URL, the kiosk's
 * identity or mode, which stay with the technician. Bounds are those of the configuration file.
 */
const kioskSettingsShape = {
  hallName: z.string().trim().min(1).max(80).optional(),
  hallNameEn: z.string().trim().min(1).max(120).optional(),
  hallPhone: z.string().trim().min(1).max(40).optional(),
  idleSeconds: z.number().int().min(30).max(900).optional(),
  countdownSeconds: z.number().int().min(10).max(120).optional(),
};
/** Kiosk side: settings a newer hall adds are ignored (like unknown streams). */
export const kioskSettingsSchema = z.object(kioskSettingsShape);
/** Publishing side (operator CLI): an unknown setting is a mistake to report, not to drop silently. */
export const kioskSettingsPublishSchema = z.strictObject(kioskSettingsShape);
export type KioskSettings = z.infer<typeof kioskSettingsSchema>;

/** `queue-state/<window code>`: people waiting at a window category, as the hall's queue counts them. */
export const queueStateSchema = z.object({
  waiting: z.number().int().min(0).max(100_000),
  /** The hall's service day (its time zone), YYYY-MM-DD. */
  serviceDate: z.string().refine(isIsoDate, { message: 'expected a real date YYYY-MM-DD' }),
  /** When the hall counted, ISO-8601 UTC. */
  at: z.iso.datetime(),
});
export type QueueState = z.infer<typeof queueStateSchema>;

const materialCode = z.string().min(1).max(64);
const note = z.string().max(500).optional();

/**
 * `case-status/<application id>` (only to the kiosk that submitted it): the case's new status with
 * what the resident reads — the note, the refusal reason, the materials to bring, the result and the
 * EMS tracking number. One shape per status; a status outside the list is refused.
 */
export const caseStatusDataSchema = z.discriminatedUnion('status', [
  z.object({ status: z.literal('received'), at: instantSchema, note }),
  z.object({ status: z.literal('accepted'), at: instantSchema, note }),
  z.object({ status: z.literal('refused'), at: instantSchema, note, reason: z.string().min(1).max(500) }),
  z.object({
    status: z.literal('correction-requested'),
    at: instantSchema,
    note,
    materials: z.array(materialCode).min(1).max(50),
  }),
  z.object({ status: z.literal('supplement-received'), at: instantSchema, note }),
  z.object({
    status: z.literal('completed'),
    at: instantSchema,
    note,
    result: z.string().min(1).max(500),
    trackingNumber: z.string().min(1).max(64).optional(),
  }),
]);
export type CaseStatusData = z.infer<typeof caseStatusDataSchema>;

// Every hall status has a shape above, and nothing else does (a compile-time check).
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const coversHallStatuses: Same<CaseStatusData['status'], HallCaseStatus> = true;
void coversHallStatuses;

/** What the resident reads with a status: the hall's note, else its 办结 result or refusal reason. */
export function caseStatusNote(d: CaseStatusData): string | null {
  if (d.note !== undefined && d.note.trim() !== '') return d.note;
  switch (d.status) {
    case 'completed':
      return d.result;
    case 'refused':
      return d.reason;
    case 'received':
    case 'accepted':
    case 'correction-requested':
    case 'supplement-received':
      return null;
    default: {
      const never: never = d;
      return never;
    }
  }
}

/** Every stream a kiosk pulls, with its data schema. */
export const documentSchemas = {
  catalog: catalogSchema,
  calendar: holidayCalendarSchema,
  'evaluation-items': evaluationItemsSchema,
  'kiosk-config': kioskSettingsSchema,
  'queue-state': queueStateSchema,
  'case-status': caseStatusDataSchema,
  /** The windows' opening hours (排队取号, the home screen's hours line): opening-hours.ts. */
  'window-hours': openingHoursSchema,
} as const;

export type Stream = keyof typeof documentSchemas;
export const STREAMS = Object.keys(documentSchemas) as Stream[];
export const isStream = (s: string): s is Stream => Object.hasOwn(documentSchemas, s);

/** The backend's settings documents: applied by the backend's handlers (everything but case-status). */
export const DOCUMENT_STREAMS = [
  'catalog',
  'calendar',
  'evaluation-items',
  'kiosk-config',
  'queue-state',
  'window-hours',
] as const satisfies readonly Stream[];
export type DocumentStream = (typeof DOCUMENT_STREAMS)[number];
export const isDocumentStream = (stream: string): stream is DocumentStream =>
  (DOCUMENT_STREAMS as readonly string[]).includes(stream);

/** A pulled change that passed validation; `del` is a tombstone (the stream's fallback applies). */
export type PulledDocument =
  | { stream: 'catalog'; key: typeof CURRENT_KEY; op: 'put'; data: Catalog }
  | { stream: 'calendar'; key: typeof CURRENT_KEY; op: 'put'; data: HolidayCalendar }
  | { stream: 'evaluation-items'; key: typeof CURRENT_KEY; op: 'put'; data: EvaluationItems }
  | { stream: 'kiosk-config'; key: typeof CURRENT_KEY; op: 'put'; data: KioskSettings }
  | { stream: 'queue-state'; key: WindowCode; op: 'put'; data: QueueState }
  | { stream: 'window-hours'; key: typeof CURRENT_KEY; op: 'put'; data: OpeningHours }
  | { stream: DocumentStream; key: string; op: 'del'; data: null }
  | { stream: 'case-status'; key: string; op: 'put'; data: CaseStatusData }
  | { stream: 'case-status'; key: string; op: 'del'; data: null };

/** A settings document (everything but case-status), as the backend's document handlers take it. */
export type SettingsDocument = Extract<PulledDocument, { stream: DocumentStream }>;

export type ParsedDocument = { ok: true; doc: PulledDocument } | { ok: false; issues: string[] };

const issuesOf = (error: z.ZodError): string[] => issueList(error, 20);

/** Validates a pulled change: its key for the stream, then its data with the stream's schema. */
export function parseDocument(
  stream: Stream,
  change: { key: string; op: 'put' | 'del'; data: unknown },
): ParsedDocument {
  const { key, op } = change;
  switch (stream) {
    case 'queue-state': {
      const w = windowCodeSchema.safeParse(key);
      if (!w.success) return { ok: false, issues: [`key: "${key}" is not a window code`] };
      if (op === 'del') return { ok: true, doc: { stream, key: w.data, op, data: null } };
      const d = queueStateSchema.safeParse(change.data);
      return d.success
        ? { ok: true, doc: { stream, key: w.data, op, data: d.data } }
        : { ok: false, issues: issuesOf(d.error) };
    }
    case 'case-status': {
      if (!/^[0-9a-f-]{36}$/.test(key))
        return { ok: false, issues: [`key: "${key}" is not an application id`] };
      if (op === 'del') return { ok: true, doc: { stream, key, op, data: null } };
      const d = caseStatusDataSchema.safeParse(change.data);
      return d.success
        ? { ok: true, doc: { stream, key, op, data: d.data } }
        : { ok: false, issues: issuesOf(d.error) };
    }
    case 'catalog':
    case 'calendar':
    case 'evaluation-items':
    case 'kiosk-config':
    case 'window-hours':
      break;
    default: {
      const never: never = stream;
      return { ok: false, issues: [`unknown stream ${String(never)}`] };
    }
  }
  if (key !== CURRENT_KEY) return { ok: false, issues: [`key: "${key}" is not "${CURRENT_KEY}"`] };
  if (op === 'del') return { ok: true, doc: { stream, key, op, data: null } };
  switch (stream) {
    case 'catalog': {
      const d = catalogSchema.safeParse(change.data);
      return d.success
        ? { ok: true, doc: { stream, key, op, data: d.data } }
        : { ok: false, issues: issuesOf(d.error) };
    }
    case 'calendar': {
      const d = holidayCalendarSchema.safeParse(change.data);
      return d.success
        ? { ok: true, doc: { stream, key, op, data: d.data } }
        : { ok: false, issues: issuesOf(d.error) };
    }
    case 'evaluation-items': {
      const d = evaluationItemsSchema.safeParse(change.data);
      return d.success
        ? { ok: true, doc: { stream, key, op, data: d.data } }
        : { ok: false, issues: issuesOf(d.error) };
    }
    case 'kiosk-config': {
      const d = kioskSettingsSchema.safeParse(change.data);
      return d.success
        ? { ok: true, doc: { stream, key, op, data: d.data } }
        : { ok: false, issues: issuesOf(d.error) };
    }
    case 'window-hours': {
      const d = openingHoursSchema.safeParse(change.data);
      return d.success
        ? { ok: true, doc: { stream, key, op, data: d.data } }
        : { ok: false, issues: issuesOf(d.error) };
    }
  }
}
