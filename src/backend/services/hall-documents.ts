/**
 * Hall-owned documents on the kiosk (docs/sync-protocol.md, 5 "Streams"): applies what the sync
 * client pulled — a catalog update replaces the local catalog, a holiday calendar, evaluation
 * content items, the windows' opening hours and the hall's kiosk settings replace the seed /
 * configuration-file values, queue
 * state is kept per window — and answers the providers the services read (`calendar()`, …).
 *
 * Every document arrives validated (sync/streams.ts); one that fails is refused: sync_records keeps
 * it, a warning is logged with the zod issues, an audit row `<stream>-update-failed` shows it in the
 * technician console, and the previous version stays in force.
 *
 * What is in force is kept in kiosk_config, one row per (stream, key) — `hall-document:<stream>/<key>`
 * = `{ handled, version, at, data }`: `handled` is the newest sync version looked at (applied or
 * refused), `version`/`data` the one applied (null: none, the seed / configuration file applies). The
 * catalog's data is the catalog tables themselves. `catchUp()` applies any record in sync_records
 * newer than `handled` — a change pulled by a client that did not apply it (an older release, which
 * only stored these streams).
 */
import { z } from 'zod';
import type { HolidayCalendar } from '../../shared/working-days.js';
import type { EvaluationItems } from '../../shared/evaluation.js';
import type { OpeningHours } from '../../shared/opening-hours.js';
import {
  createDocumentApplier,
  DOCUMENT_STREAMS,
  documentSchemas,
  type DocumentHandlers,
  type DocumentStream,
  type KioskSettings,
  type SettingsDocument,
  isDocumentStream,
} from '../../sync/index.js';
import type { Logger } from '../logger.js';
import { createAuditStore } from '../store/audit-store.js';
import type { Db } from '../store/db.js';
import {
  createHallDocumentsStore,
  documentConfigKey,
  type HallDocumentsStore,
} from '../store/hall-documents-store.js';
import { replaceCatalog } from './catalog.js';

export { documentConfigKey };

const stateSchema = z.object({
  handled: z.number().int(),
  version: z.number().int().nullable(),
  at: z.string(),
  data: z.unknown(),
});
export type DocumentState = z.infer<typeof stateSchema>;

/** Reads what is in force for one (stream, key); null when the hall never sent one. */
export function readDocumentState(
  store: HallDocumentsStore,
  stream: DocumentStream,
  key: string,
): DocumentState | null {
  const raw = store.stateText(stream, key);
  if (raw === undefined) return null;
  const p = stateSchema.safeParse(JSON.parse(raw));
  return p.success ? p.data : null;
}

export function createHallDocuments(deps: {
  db: Db;
  clock: () => Date;
  logger: Pick<Logger, 'info' | 'warn'>;
  /** `windowHours`: the configured hours file, else the shipped seed (app.ts). */
  seed: { calendar: HolidayCalendar; evaluationItems: EvaluationItems; windowHours: OpeningHours };
}) {
  const { db, logger } = deps;
  const store = createHallDocumentsStore(db);
  const audit = createAuditStore(db);

  const write = (stream: DocumentStream, key: string, state: DocumentState) =>
    store.writeState(stream, key, state, state.at);

  const handlers: DocumentHandlers = {
    apply(doc: SettingsDocument, meta) {
      const subject = `${doc.stream}/${doc.key}`;
      if (doc.op === 'del') {
        // A tombstone: back to the seed / configuration file — except the catalog, which the kiosk
        // cannot do without; it keeps the one it has.
        write(doc.stream, doc.key, { handled: meta.version, version: null, at: meta.at, data: null });
        if (doc.stream !== 'queue-state') {
          audit.record(`${doc.stream}-withdrawn`, subject, { version: meta.version }, meta.at);
          logger.info(
            { stream: doc.stream, key: doc.key, version: meta.version },
            'hall withdrew a document',
          );
        }
        return;
      }
      switch (doc.stream) {
        case 'catalog':
          replaceCatalog(db, doc.data, 'hall', new Date(meta.at));
          write(doc.stream, doc.key, {
            handled: meta.version,
            version: meta.version,
            at: meta.at,
            data: null,
          });
          break;
        case 'calendar':
        case 'evaluation-items':
        case 'kiosk-config':
        case 'queue-state':
        case 'window-hours':
          write(doc.stream, doc.key, {
            handled: meta.version,
            version: meta.version,
            at: meta.at,
            data: doc.data,
          });
          break;
        default: {
          const never: never = doc;
          throw new Error(`unhandled document ${JSON.stringify(never)}`);
        }
      }
      // Queue state changes all day long; the audit trail is for what changes the kiosk's rules.
      if (doc.stream !== 'queue-state') {
        const label = 'version' in doc.data && typeof doc.data.version === 'string' ? doc.data.version : null;
        audit.record(`${doc.stream}-updated`, subject, { version: meta.version, label }, meta.at);
        logger.info({ stream: doc.stream, version: meta.version, label }, 'hall document applied');
      }
    },
    refused(r, at) {
      // Remember the refused version as handled (catch-up must not refuse it again at every start);
      // what is in force stays as it was. A refused case status leaves the application as it was.
      if (isDocumentStream(r.stream)) {
        const prev = readDocumentState(store, r.stream, r.key);
        write(r.stream, r.key, {
          handled: r.version,
          version: prev?.version ?? null,
          at: prev?.at ?? at,
          data: prev?.data ?? null,
        });
      }
      audit.record(
        `${r.stream}-update-failed`,
        `${r.stream}/${r.key}`,
        { version: r.version, op: r.op, issues: r.issues },
        at,
      );
      logger.warn(
        { stream: r.stream, key: r.key, version: r.version, issues: r.issues },
        'hall document refused; the previous version stays',
      );
    },
  };
  const applier = createDocumentApplier(db, handlers);

  /** Applies records the sync client stored without applying them (see the header). */
  function catchUp(): number {
    const rows = store.pulled(DOCUMENT_STREAMS);
    let n = 0;
    const at = deps.clock().toISOString();
    db.transaction(() => {
      for (const r of rows) {
        const held = readDocumentState(store, r.stream, r.key);
        if (held !== null && held.handled >= r.version) continue;
        applier({ ...r, data: r.data === null ? null : (JSON.parse(r.data) as unknown) }, at);
        n++;
      }
    })();
    return n;
  }

  /** The document in force for a single-document stream, parsed once per change. */
  function provider<T>(
    stream: 'calendar' | 'evaluation-items' | 'kiosk-config' | 'window-hours',
    schema: z.ZodType<T>,
    fallback: T,
  ): () => T {
    let raw: string | undefined;
    let value = fallback;
    return () => {
      const now = store.stateText(stream, 'current');
      if (now === raw) return value;
      raw = now;
      value = fallback;
      if (now !== undefined) {
        const state = stateSchema.safeParse(JSON.parse(now));
        if (state.success && state.data.version !== null) {
          const doc = schema.safeParse(state.data.data);
          if (doc.success) value = doc.data;
        }
      }
      return value;
    };
  }

  return {
    handlers,
    catchUp,
    /** Holiday calendar: the hall's when it sent a valid one, else the seed. */
    calendar: provider<HolidayCalendar>('calendar', documentSchemas.calendar, deps.seed.calendar),
    /** Evaluation content items: the hall's when it sent a valid set, else the seed. */
    evaluationItems: provider<EvaluationItems>(
      'evaluation-items',
      documentSchemas['evaluation-items'],
      deps.seed.evaluationItems,
    ),
    /** The windows' opening hours: the hall's when it published valid ones, else the seed / configured file. */
    windowHours: provider<OpeningHours>(
      'window-hours',
      documentSchemas['window-hours'],
      deps.seed.windowHours,
    ),
    /** Settings the hall pushed over the configuration file's (empty: none). */
    kioskSettings: provider<KioskSettings>('kiosk-config', documentSchemas['kiosk-config'], {}),
  };
}

export type HallDocuments = ReturnType<typeof createHallDocuments>;
