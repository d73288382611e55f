/**
 * Applying what the kiosk pulls (docs/contract.md, "Streams"; docs/sync-protocol.md, 5): every
 * change of a stream the contract knows is validated with the stream's schema
 * (src/shared/wire/documents.ts) and handed to the backend — settings documents to its
 * `DocumentHandlers`, case statuses to its `RecordHandlers`. The hall is a trust boundary: a
 * document that does not parse is never applied — it is reported (`refused`) and the previous
 * version stays in force. Streams the contract does not know are only kept in sync_records (a hall
 * may add streams without breaking older kiosks).
 */
import {
  isDocumentStream,
  isStream,
  parseDocument,
  type CaseStatusData,
  type SettingsDocument,
  type Stream,
} from '../shared/wire/index.js';
import type { ChangeApplier, SyncDb } from './store.js';

export {
  CURRENT_KEY,
  DOCUMENT_STREAMS,
  documentSchemas,
  isDocumentStream,
  kioskSettingsPublishSchema,
  kioskSettingsSchema,
  parseDocument,
  queueStateSchema,
  type DocumentStream,
  type KioskSettings,
  type PulledDocument,
  type QueueState,
  type SettingsDocument,
} from '../shared/wire/index.js';

export type DocumentMeta = { version: number; at: string };
export type RefusedDocument = {
  stream: Stream;
  key: string;
  op: 'put' | 'del';
  version: number;
  issues: string[];
};

/** What the backend does with pulled settings documents; both run inside the page's transaction. */
export type DocumentHandlers = {
  apply(doc: SettingsDocument, meta: DocumentMeta): void;
  refused(refusal: RefusedDocument, at: string): void;
};

/** An outbox entry the hall acknowledged, as the backend hears of it. */
export type AcknowledgedEntry = {
  kind: string;
  entityId: string;
  status: 'applied' | 'rejected' | 'conflict' | null;
};

/**
 * What a retention purge did: applications forgotten now, every content-addressed file no longer
 * needed, and the archived forms (PDF files) of the applications forgotten now.
 */
export type PurgeOutcome = { applicationIds: string[]; files: string[]; archives?: string[] };

/**
 * What the backend does with the kiosk's own records when the hall answers: sync writes only its
 * own tables (outbox, cursors, sync_records, its state), the backend owns applications and files.
 * Each runs inside the sync transaction that records the hall's answer, so both commit together.
 */
export type RecordHandlers = {
  /** A case-status document for an application of this kiosk (unknown ids are ignored). */
  caseStatus(applicationId: string, data: CaseStatusData, meta: DocumentMeta): void;
  /** Outbox entries the hall acknowledged in this answer. */
  acknowledged(entries: readonly AcknowledgedEntry[], at: string): void;
  /**
   * Retention: forgets the personal data of applications the hall acknowledged before `cutoff`;
   * returns their ids and the content-addressed files nothing unpurged references any more.
   */
  purge(cutoff: string, at: string): PurgeOutcome;
};

/**
 * The applier for the settings documents only: validates, then hands a typed document to `apply`.
 * Anything that fails — validation, or `apply` itself throwing — goes to `refused`; `apply` runs in
 * a savepoint of its own, so a failure leaves the previous version intact and never blocks the page
 * (a wedged pull would stop case statuses too). Other streams are left alone.
 */
export function createDocumentApplier(db: SyncDb, handlers: DocumentHandlers): ChangeApplier {
  return createChangeApplier(db, { documents: handlers });
}

/** The applier for every stream the contract knows: settings documents and case statuses. */
export function createChangeApplier(
  db: SyncDb,
  handlers: {
    documents?: DocumentHandlers;
    records?: Pick<RecordHandlers, 'caseStatus'>;
    onRefused?: (r: RefusedDocument) => void;
  },
): ChangeApplier {
  return (change, at) => {
    if (!isStream(change.stream)) return;
    const stream = change.stream;
    if (isDocumentStream(stream) ? !handlers.documents : !handlers.records) return;
    const refuse = (issues: string[]) => {
      const refusal = { stream, key: change.key, op: change.op, version: change.version, issues };
      handlers.documents?.refused(refusal, at);
      handlers.onRefused?.(refusal);
    };
    const parsed = parseDocument(stream, change);
    if (!parsed.ok) return refuse(parsed.issues);
    const doc = parsed.doc;
    const meta = { version: change.version, at };
    try {
      db.transaction(() => {
        if (doc.stream === 'case-status') {
          // A tombstone of a case status changes nothing at the kiosk: the history stays.
          if (doc.op === 'put') handlers.records?.caseStatus(doc.key, doc.data, meta);
        } else handlers.documents?.apply(doc, meta);
      })();
    } catch (e) {
      refuse([`not applied: ${(e as Error).message}`]);
    }
  };
}
