/**
 * The kiosk's sync client (docs/sync-protocol.md), composed from its parts: the signed transport
 * (transport.ts), blobs (blobs.ts), push (push.ts), pull (pull.ts), one cycle (cycle.ts), the
 * background loop (loop.ts) and the hall's other calls (hall-calls.ts). Blobs first, then the outbox
 * in seq order and in batches, then the hall's change log page by page; jittered exponential
 * backoff between failed cycles and a long-poll wake-up between successful ones. Every expected
 * failure is a value.
 */
import type { StorageSpace } from '../shared/storage-space.js';
import type { BackoffPolicy } from './backoff.js';
import { createBatchSync } from './batch-sync.js';
import { createBlobUploader } from './blobs.js';
import { createCycle, type CycleResult } from './cycle.js';
import { createHallCalls, type DeviceHealth } from './hall-calls.js';
import { createHelpCalls } from './help-calls.js';
import { startLoop } from './loop.js';
import { createPuller } from './pull.js';
import { hasSealer, sealerFor } from '../shared/at-rest/index.js';
import { createPusher } from './push.js';
import { createUploadedBlobs, type SyncDb } from './store.js';
import { createChangeApplier, type DocumentHandlers, type RecordHandlers } from './streams.js';
import { createTransport, type Credentials, type FetchFn, type SyncLogger } from './transport.js';

export type SyncClientDeps = {
  db: SyncDb;
  hallUrl: string;
  credentials: Credentials;
  /** Root of the kiosk's content-addressed files: <blobDir>/<aa>/<sha256>. */
  blobDir: string;
  fetch?: FetchFn;
  clock: () => Date;
  logger: SyncLogger;
  /** [0, 1): jitter only; nonces come from the CSPRNG. */
  random: () => number;
  batchSize?: number;
  /** The enrolment's first seq: earlier rows are never resent (push.ts). */
  firstSeq?: number;
  chunkSize?: number;
  requestTimeoutMs?: number;
  /** Upper bound of one long-poll (the hall caps it at 25 s). */
  waitMs?: number;
  backoff?: BackoffPolicy;
  /** Called after every cycle of the background loop. */
  onCycle?: (result: CycleResult) => void;
  /** Devices that are not fine, reported in the heartbeat after each successful cycle. */
  health?: () => readonly DeviceHealth[];
  /** This kiosk's software version, reported in the heartbeat. */
  appVersion?: string;
  /** The data directory's free space, reported in the heartbeat (null: could not be read). */
  storage?: () => StorageSpace | null;
  /**
   * What the backend does with pulled settings documents (catalog, calendar, …; streams.ts).
   * Without it they are only stored in sync_records.
   */
  documents?: DocumentHandlers;
  /**
   * What the backend does with its own records when the hall answers: case statuses pulled,
   * entries acknowledged (each inside the sync transaction that records the answer).
   */
  records: Pick<RecordHandlers, 'caseStatus' | 'acknowledged'>;
  /**
   * Batch sync (docs/sync-protocol.md, 5e; default on): the /v2 routes when the hall has them, else
   * /v1. false: /v1 only (tests of the /v1 protocol, the benchmark's "before").
   */
  batchSync?: boolean;
};

export function createSyncClient(deps: SyncClientDeps) {
  const { db, clock, logger } = deps;
  const transport = createTransport({
    hallUrl: deps.hallUrl,
    credentials: deps.credentials,
    clock,
    logger,
    ...(deps.fetch ? { fetch: deps.fetch } : {}),
    ...(deps.requestTimeoutMs !== undefined ? { timeoutMs: deps.requestTimeoutMs } : {}),
  });
  const sealer = hasSealer(db) ? sealerFor(db) : undefined;
  const remembered = createUploadedBlobs(db, deps.credentials.kioskId, clock);
  const blobs = createBlobUploader({
    transport,
    blobDir: deps.blobDir,
    ...(sealer ? { sealer } : {}),
    remembered,
    ...(deps.chunkSize !== undefined ? { chunkSize: deps.chunkSize } : {}),
  });
  const puller = createPuller({
    db,
    transport,
    clock,
    logger,
    applier: createChangeApplier(db, {
      ...(deps.documents ? { documents: deps.documents } : {}),
      records: deps.records,
      onRefused: (r) =>
        logger.warn({ stream: r.stream, key: r.key, issues: r.issues }, 'pulled change refused'),
    }),
    ...(deps.waitMs !== undefined ? { waitMs: deps.waitMs } : {}),
    ...(deps.firstSeq !== undefined ? { firstSeq: deps.firstSeq } : {}),
  });
  const calls = createHallCalls({
    transport,
    logger,
    ...(deps.health ? { health: deps.health } : {}),
    ...(deps.appVersion !== undefined ? { appVersion: deps.appVersion } : {}),
    ...(deps.storage ? { storage: deps.storage } : {}),
  });
  const batch =
    deps.batchSync === false
      ? null
      : createBatchSync({
          db,
          transport,
          blobDir: deps.blobDir,
          ...(sealer ? { sealer } : {}),
          remembered,
          uploader: blobs,
          puller,
          heartbeatBody: calls.heartbeatBody,
          sendHeartbeat: calls.heartbeat,
          clock,
          logger,
        });
  const pusher = createPusher({
    db,
    transport,
    blobs,
    clock,
    logger,
    records: deps.records,
    ...(deps.batchSize !== undefined ? { batchSize: deps.batchSize } : {}),
    ...(deps.firstSeq !== undefined ? { firstSeq: deps.firstSeq } : {}),
    ...(batch
      ? {
          sendBatch: batch.sendBatch,
          prepareBatch: batch.prepareBatch,
          sendPrepared: batch.sendPrepared,
          onMissingBlobs: batch.forget,
        }
      : {}),
  });
  const cycle = createCycle({
    db,
    clock,
    push: pusher.pushAll,
    pull: batch ? batch.pull : puller.pullAll,
    heartbeat: batch ? batch.heartbeat : calls.heartbeat,
    ...(batch ? { begin: batch.begin } : {}),
  });

  /** The background loop: cycles until stopped (loop.ts). */
  const start = () =>
    startLoop({
      runOnce: cycle.runOnce,
      waitForChanges: puller.waitForChanges,
      logger,
      random: deps.random,
      ...(deps.backoff ? { backoff: deps.backoff } : {}),
      ...(deps.onCycle ? { onCycle: deps.onCycle } : {}),
    });

  return {
    runOnce: cycle.runOnce,
    /** Whether the last try found the hall's batch-sync routes (docs/sync-protocol.md, 5e). */
    usingBatchSync: () => batch?.usingV2() ?? false,
    status: cycle.status,
    networkStatus: cycle.networkStatus,
    start,
    /** One long-poll of the hall, as the loop waits between cycles (pull.ts; the fleet benchmark). */
    waitForChanges: puller.waitForChanges,
    uploadBlob: blobs.upload,
    lookupLicences: calls.lookupLicences,
    takeTicket: calls.takeTicket,
    queueStatus: calls.queueStatus,
    /** 呼叫帮助 calls (help-calls.ts). */
    help: createHelpCalls({ transport }),
  };
}

export type SyncClient = ReturnType<typeof createSyncClient>;
