/**
 * The hall's side of the sync protocol (docs/sync-protocol.md), composed from its parts: kiosk
 * access (enrolment, authentication: kiosk-access.ts), incoming entries (push with the seq rules:
 * incoming.ts), blobs (blob-store.ts), the change feed (change-feed.ts), case status moves
 * (case-updates.ts) and shared licences (licences.ts). Each part holds its rules; their SQL is in
 * src/hall/store/. The HTTP layer (server.ts) only translates requests and answers.
 */
import {
  MAX_BATCH,
  MAX_BLOB_BYTES,
  MAX_CHANGES_PAGE,
  SUPPORTED_SCHEMA_VERSIONS,
} from '../shared/wire/index.js';
import { fileChangeLogMark } from './change-log-mark.js';
import { createBlobMaintenance } from './blob-maintenance.js';
import { createBlobStore } from './blob-store.js';
import { createCaseUpdates } from './case-updates.js';
import { createChangeFeed } from './change-feed.js';
import { createIncoming, type EvaluationApplied } from './incoming.js';
import type { DeskEventSink } from './desk-events.js';
import type { HallNotifier } from './notifier.js';
import { createKioskAccess } from './kiosk-access.js';
import { createLicences } from './licences.js';
import {
  createBlobIndex,
  createCaseStore,
  createChangeStore,
  createEntryStore,
  createEpochStore,
  createEvaluationStore,
  createKioskStore,
  createLicenceStore,
  createTicketStore,
  hallSqlOf,
  type HallDatabase,
  type HallSql,
} from './store/index.js';

export { MAX_BATCH, MAX_BLOB_BYTES, MAX_CHANGES_PAGE, SUPPORTED_SCHEMA_VERSIONS };
export type { HttpAnswer } from './answers.js';
export { DEFAULT_RETENTION_MS, type Change } from './change-feed.js';
export { pushBodySchema, type EvaluationApplied, type PushResult } from './incoming.js';
export type { AuthResult, Kiosk } from './kiosk-access.js';

export type HallServiceDeps = {
  db: HallDatabase;
  dataDir: string;
  clock: () => Date;
  /** Wake-ups of long-polls (notifier.ts); in-process when absent. */
  notifier?: HallNotifier;
  retentionMs?: number;
  /** Unfinished-upload quota per kiosk and age limit (limits.ts defaults). */
  partialQuotaBytes?: number;
  partialMaxAgeMs?: number;
  /**
   * Called inside the push's transaction after an evaluation is recorded, and awaited (好差评
   * follow-up: a bad review opens its task atomically with it). A throw or a rejection rolls the
   * whole push back (503, retried).
   */
  onEvaluationApplied?: (e: EvaluationApplied) => Promise<void> | void;
  /** The live desk's events (desk-events.ts). */
  desk?: DeskEventSink;
};

/**
 * The blob store, its index and its maintenance alone (what a key rotation needs while the
 * database is open for it: no change feed, nothing read at start). On the query layer only (either
 * engine): the index through `sql`, the files sealed with its sealer.
 */
export function createHallBlobs(
  deps: Pick<HallServiceDeps, 'dataDir' | 'clock' | 'partialQuotaBytes' | 'partialMaxAgeMs'> & {
    sql: HallSql;
  },
) {
  const { sql, clock } = deps;
  const blobs = createBlobIndex(sql);
  const blobStore = createBlobStore({
    index: blobs,
    dataDir: deps.dataDir,
    clock,
    sealer: sql.sealer,
    ...(deps.partialQuotaBytes !== undefined ? { partialQuotaBytes: deps.partialQuotaBytes } : {}),
    ...(deps.partialMaxAgeMs !== undefined ? { partialMaxAgeMs: deps.partialMaxAgeMs } : {}),
  });
  const blobMaintenance = createBlobMaintenance({
    sql,
    index: blobs,
    store: blobStore,
    sealer: sql.sealer,
    clock,
  });
  return { blobs, blobStore, blobMaintenance };
}

/** The hall's sync side on its database (async: the change feed reads its epoch and cursor key). */
export async function createHallService(deps: HallServiceDeps) {
  const { db, clock } = deps;
  const sql = hallSqlOf(db);
  const { blobs, blobStore, blobMaintenance } = createHallBlobs({ ...deps, sql });
  const kiosks = createKioskStore(sql);
  const cases = createCaseStore(hallSqlOf(db));
  const feed = await createChangeFeed({
    sql,
    changes: createChangeStore(sql),
    epochs: createEpochStore(sql),
    clock,
    retentionMs: deps.retentionMs,
    lastAppliedSeq: async (kioskId) => (await kiosks.get(kioskId))?.lastAppliedSeq,
    mark: fileChangeLogMark(deps.dataDir),
    ...(deps.notifier ? { notifier: deps.notifier } : {}),
  });
  const caseUpdates = createCaseUpdates({ sql, cases, feed, desk: deps.desk });
  const access = createKioskAccess({ sql, kiosks, clock });
  const incoming = createIncoming({
    sql,
    kiosks,
    entries: createEntryStore(sql),
    cases,
    tickets: createTicketStore(hallSqlOf(db)),
    evaluations: createEvaluationStore(hallSqlOf(db)),
    blobs,
    caseUpdates,
    clock,
    onEvaluationApplied: deps.onEvaluationApplied,
    desk: deps.desk,
  });
  const licences = createLicences({ licences: createLicenceStore(sql), clock });

  return {
    lookupLicences: licences.lookupLicences,
    addLicence: licences.addLicence,
    createEnrollmentCode: access.createEnrollmentCode,
    enroll: access.enroll,
    checkSchema: access.checkSchema,
    checkHeaders: access.checkHeaders,
    isKnownKiosk: access.isKnownKiosk,
    authenticate: access.authenticate,
    verifyRequest: access.verifyRequest,
    claimNonce: access.claimNonce,
    forgetOldNonces: access.forgetOldNonces,
    answerKey: access.answerKey,
    push: incoming.push,
    blobState: blobStore.blobState,
    blobStates: blobStore.blobStates,
    putBlob: blobStore.putBlob,
    putBlobs: blobStore.putBlobs,
    stageBlobs: blobStore.stageBlobs,
    indexStagedBlobs: blobStore.indexStaged,
    dropPartials: blobStore.dropPartials,
    blobWriteStats: blobStore.writeStats,
    blobStore,
    blobMaintenance,
    readBlob: blobStore.readBlob,
    sealClearBlobs: blobStore.sealClearBlobs,
    sweepPartials: blobStore.sweepPartials,
    appendChange: feed.appendChange,
    purgeChanges: feed.purgeChanges,
    changes: feed.changes,
    snapshot: feed.snapshot,
    waitForChange: feed.waitForChange,
    /** Long-polls waiting now (GET /v1/wait; a kiosk that went away is not counted). */
    longPollsWaiting: feed.longPollsWaiting,
    setCaseStatus: caseUpdates.setCaseStatus,
    maxPosition: feed.maxPosition,
    startEpoch: feed.startEpoch,
    currentEpoch: feed.currentEpoch,
    epochs: feed.epochs,
    waitPosition: feed.waitPosition,
    waitStart: feed.waitStart,
  };
}

export type HallService = Awaited<ReturnType<typeof createHallService>>;
