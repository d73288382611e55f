/**
 * The hall-owned documents the kiosk pulls and applies (docs/sync-protocol.md, 5 "Streams"): their
 * stream names, keys and payload schemas, and the dispatcher that validates a pulled change before
 * the backend applies it. The hall is a trust boundary: a document that does not parse is never
 * applied — it is reported (`refused`) and the previous version stays in force.
 *
 * The schemas are the ones the seeds are read with (catalog, holiday calendar, evaluation content
 * items), so a document the hall may publish is exactly a document the kiosk could ship with.
 */
import { z } from 'zod';
import { catalogSchema, windowCodeSchema, type Catalog, type WindowCode } from '../shared/index.js';
import { evaluationItemsSchema } from '../shared/evaluation-schemas.js';
import type { EvaluationItems } from '../shared/evaluation.js';
import { holidayCalendarSchema, isIsoDate, type HolidayCalendar } from '../shared/working-days.js';
import type { Change } from './protocol.js';
import type { ChangeApplier, SyncDb } from './store.js';

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

/** Every stream the kiosk applies besides `case-status`, with its document schema. */
export const DOCUMENT_STREAMS = [
  'catalog',
  'calendar',
  'evaluation-items',
  'kiosk-config',
  'queue-state',
] as const;
export type DocumentStream = (typeof DOCUMENT_STREAMS)[number];

export const documentSchemas = {
  catalog: catalogSchema,
  calendar: holidayCalendarSchema,
  'evaluation-items': evaluationItemsSchema,
  'kiosk-config': kioskSettingsSchema,
  'queue-state': queueStateSchema,
} as const;

export const isDocumentStream = (stream: string): stream is DocumentStream =>
  (DOCUMENT_STREAMS as readonly string[]).includes(stream);

/** A pulled change that passed validation; `del` is a tombstone (the stream's fallback applies). */
export type PulledDocument =
  | { stream: 'catalog'; key: typeof CURRENT_KEY; op: 'put'; data: Catalog }
  | { stream: 'calendar'; key: typeof CURRENT_KEY; op: 'put'; data: HolidayCalendar }
  | { stream: 'evaluation-items'; key: typeof CURRENT_KEY; op: 'put'; data: EvaluationItems }
  | { stream: 'kiosk-config'; key: typeof CURRENT_KEY; op: 'put'; data: KioskSettings }
  | { stream: 'queue-state'; key: WindowCode; op: 'put'; data: QueueState }
  | { stream: DocumentStream; key: string; op: 'del'; data: null };

export type ParsedDocument = { ok: true; doc: PulledDocument } | { ok: false; issues: string[] };

const MAX_ISSUES = 20;

function issuesOf(error: z.ZodError): string[] {
  const all = error.issues.map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`);
  return all.length > MAX_ISSUES ? [...all.slice(0, MAX_ISSUES), `… ${all.length - MAX_ISSUES} more`] : all;
}

/** Validates a change of a document stream: its key, then its data with the stream's schema. */
export function parseDocument(
  stream: DocumentStream,
  change: Pick<Change, 'key' | 'op' | 'data'>,
): ParsedDocument {
  const { key, op } = change;
  if (stream === 'queue-state') {
    const w = windowCodeSchema.safeParse(key);
    if (!w.success) return { ok: false, issues: [`key: "${key}" is not a window code`] };
    if (op === 'del') return { ok: true, doc: { stream, key: w.data, op, data: null } };
    const d = queueStateSchema.safeParse(change.data);
    return d.success
      ? { ok: true, doc: { stream, key: w.data, op, data: d.data } }
      : { ok: false, issues: issuesOf(d.error) };
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
    default: {
      const never: never = stream;
      throw new Error(`unhandled stream ${String(never)}`);
    }
  }
}

export type DocumentMeta = { version: number; at: string };
export type RefusedDocument = {
  stream: DocumentStream;
  key: string;
  op: 'put' | 'del';
  version: number;
  issues: string[];
};

/** What the backend does with pulled documents; both run inside the page's transaction. */
export type DocumentHandlers = {
  apply(doc: PulledDocument, meta: DocumentMeta): void;
  refused(refusal: RefusedDocument, at: string): void;
};

/**
 * The applier for the document streams: validates, then hands a typed document to `apply`. Anything
 * that fails — validation, or `apply` itself throwing — goes to `refused`; `apply` runs in a
 * savepoint of its own, so a failure leaves the previous version intact and never
 * blocks the page (a wedged pull would stop case statuses too). Other streams are left alone.
 */
export function createDocumentApplier(db: SyncDb, handlers: DocumentHandlers): ChangeApplier {
  return (change, at) => {
    if (!isDocumentStream(change.stream)) return;
    const stream = change.stream;
    const refuse = (issues: string[]) =>
      handlers.refused({ stream, key: change.key, op: change.op, version: change.version, issues }, at);
    const parsed = parseDocument(stream, change);
    if (!parsed.ok) return refuse(parsed.issues);
    try {
      db.transaction(() => handlers.apply(parsed.doc, { version: change.version, at }))();
    } catch (e) {
      refuse([`not applied: ${(e as Error).message}`]);
    }
  };
}
