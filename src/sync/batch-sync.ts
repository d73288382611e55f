/**
 * Batch sync, the kiosk side (docs/sync-protocol.md, 5e): a cycle is one or two requests —
 * `POST /v2/blobs/missing` for the blobs the kiosk does not know the hall holds (skipped when it
 * knows them all), then `POST /v2/sync` with the outbox batch, the blobs the hall lacks, the
 * heartbeat and the pull's cursor; the answer carries the push result and the first pull page. The
 * push (push.ts) and pull (pull.ts) read the parts exactly as they read the /v1 answers.
 *
 * A hall without the /v2 routes (an older hall, or HALL_SYNC_V2=0) answers 404: the kiosk uses /v1
 * for this batch and for the next `V2_REPROBE_MS`, then asks again (the hall may have been updated).
 */
import { readFile } from 'node:fs/promises';
import { isSealedBytes, type Sealer } from '../shared/at-rest/index.js';
import { err, ok } from '../shared/result.js';
import {
  encodeSyncBody,
  entryBlobs,
  frameBytes,
  missingAnswerSchema,
  parseEntry,
  SYNC_V2_CONTENT_TYPE,
  SYNC_V2_MAX_BLOBS,
  SYNC_V2_MAX_BODY_BYTES,
  SYNC_V2_MAX_INLINE_BLOB_BYTES,
  SYNC_V2_MAX_QUERY_HASHES,
  SYNC_V2_PATHS,
  syncV2AnswerSchema,
  type BlobFrame,
  type Heartbeat,
  type PushEntry,
} from '../shared/wire/index.js';
import { blobFile, type BlobUploader } from './blobs.js';
import type { Puller } from './pull.js';
import type { BatchSent, PreparedBatch } from './push.js';
import { sha256Hex } from './protocol.js';
import { backlog, readCursor, type OutboxRow, type SyncDb, type UploadedBlobs } from './store.js';
import type { Synced } from './sync-error.js';
import { parseReply, type SyncLogger, type Transport } from './transport.js';

/** After a 404 the kiosk uses /v1 this long before asking for /v2 again. */
export const V2_REPROBE_MS = 10 * 60_000;
const PULL_LIMIT = 500;
/** Room kept in a body for the JSON head around the entries' payloads. */
const HEAD_SLACK_BYTES = 64 * 1024;

export type BatchSync = {
  /** Called when a cycle begins: the cycle's pull and heartbeat are not yet done. */
  begin: () => void;
  /** push.ts `sendBatch`: null when the hall has no /v2 routes (the batch goes the /v1 way). */
  sendBatch: (rows: readonly OutboxRow[], entries: PushEntry[]) => Promise<Synced<BatchSent> | null>;
  /**
   * push.ts `prepareBatch` / `sendPrepared`, `sendBatch` in two halves: what the hall lacks asked and
   * the blobs read (prepared while the batch before is in flight), then the one POST /v2/sync.
   */
  prepareBatch: (rows: readonly OutboxRow[], entries: PushEntry[]) => Promise<Synced<PreparedBatch> | null>;
  sendPrepared: (batch: PreparedBatch) => Promise<Synced<BatchSent> | null>;
  /** push.ts `onMissingBlobs`: the hall lost blobs it had; they travel again with the next batch. */
  forget: (hashes: readonly string[]) => Promise<Synced<void>>;
  /** The cycle's pull: nothing more when a batch answer brought the last page already. */
  pull: () => Promise<Synced<number>>;
  /** The cycle's heartbeat: nothing when a batch request carried it. */
  heartbeat: (backlog: number) => Promise<void>;
  /** Whether the hall offered /v2 at the last try (tests, `sync status`). */
  usingV2: () => boolean;
};

export function createBatchSync(deps: {
  db: SyncDb;
  transport: Transport;
  blobDir: string;
  sealer?: Sealer;
  /** Blobs the hall confirmed (the same record the /v1 uploader keeps). */
  remembered: Pick<UploadedBlobs, 'has' | 'addAll' | 'forget'>;
  /** The /v1 resumable upload, for a blob too large to travel in a frame. */
  uploader: BlobUploader;
  puller: Puller;
  heartbeatBody: (backlog: number) => Heartbeat;
  /** The /v1 heartbeat, when no batch request carried one this cycle. */
  sendHeartbeat: (backlog: number) => Promise<void>;
  clock: () => Date;
  logger: SyncLogger;
}): BatchSync {
  const { db, transport, remembered, clock, logger } = deps;
  let v1Until = 0;
  /** This cycle: the pull reached the hall's last page / a heartbeat went with a batch. */
  let pulled: number | null = null;
  let heartbeatSent = false;
  let sentThisCycle = false;

  const v2Usable = () => clock().getTime() >= v1Until;
  const fallBack = (path: string) => {
    v1Until = clock().getTime() + V2_REPROBE_MS;
    logger.info({ path }, 'hall has no batch-sync routes; using /v1 for now');
  };

  /**
   * The plain bytes of a blob the kiosk holds, or null when it is gone or damaged. Read without
   * blocking: the batch in flight before it keeps sending meanwhile.
   */
  async function readBlob(sha: string): Promise<Buffer | null> {
    let stored: Buffer;
    try {
      stored = await readFile(blobFile(deps.blobDir, sha));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw e;
    }
    let bytes: Buffer = stored;
    if (isSealedBytes(stored)) {
      const opened = deps.sealer?.open(stored);
      if (!opened?.ok) return null;
      bytes = opened.value;
    }
    return sha256Hex(bytes) === sha ? bytes : null;
  }

  /** Which of `hashes` the hall lacks (one request per SYNC_V2_MAX_QUERY_HASHES); null: no /v2. */
  async function askMissing(hashes: string[]): Promise<Synced<Set<string>> | null> {
    const missing = new Set<string>();
    for (let i = 0; i < hashes.length; i += SYNC_V2_MAX_QUERY_HASHES) {
      const part = hashes.slice(i, i + SYNC_V2_MAX_QUERY_HASHES);
      const r = await transport.send('POST', SYNC_V2_PATHS.missing, {
        body: Buffer.from(JSON.stringify({ hashes: part })),
        unsignedRefusals: [404],
      });
      if (!r.ok) return r;
      if (r.value.status === 404) return null;
      if (r.value.status !== 200) return err(transport.httpError(r.value));
      const p = parseReply(missingAnswerSchema, r.value, 'missing blobs');
      if (!p.ok) return p;
      for (const h of p.value.missing) missing.add(h);
      remembered.addAll(part.filter((h) => !missing.has(h)));
    }
    return ok(missing);
  }

  async function prepareBatch(
    rows: readonly OutboxRow[],
    entries: PushEntry[],
  ): Promise<Synced<PreparedBatch> | null> {
    if (!v2Usable()) return null;
    // The blobs each row needs that the hall is not known to hold.
    const needs = rows.map((row) => {
      const e = parseEntry(row.kind, row.payload);
      return e.ok ? [...new Set(entryBlobs(e.entry))] : [];
    });
    const unknown = [...new Set(needs.flat().filter((h) => !remembered.has(h)))];
    let missing = new Set<string>();
    if (unknown.length > 0) {
      const asked = await askMissing(unknown);
      if (asked === null) {
        fallBack(SYNC_V2_PATHS.missing);
        return null;
      }
      if (!asked.ok) return asked;
      missing = asked.value;
    }
    // Rows in order while their blobs fit the body; a blob too large for a frame goes by /v1.
    const frames: BlobFrame[] = [];
    const inBody = new Set<string>();
    let bytes = HEAD_SLACK_BYTES;
    let count = 0;
    for (const [i, row] of rows.entries()) {
      const add: BlobFrame[] = [];
      let rowBytes = row.payload.length * 2;
      for (const sha of needs[i] ?? []) {
        if (!missing.has(sha) || inBody.has(sha)) continue;
        const blob = await readBlob(sha);
        if (blob === null) return err({ kind: 'blob-missing-locally', sha256: sha });
        if (blob.length > SYNC_V2_MAX_INLINE_BLOB_BYTES) {
          const u = await deps.uploader.upload(sha, true);
          if (!u.ok) return u;
          continue;
        }
        add.push({ sha256: sha, bytes: blob });
        rowBytes += frameBytes(blob.length);
      }
      const fits =
        bytes + rowBytes <= SYNC_V2_MAX_BODY_BYTES && frames.length + add.length <= SYNC_V2_MAX_BLOBS;
      if (!fits && count > 0) break;
      if (!fits) {
        // One row whose blobs alone exceed a body: they go by /v1, the row alone by /v2.
        for (const b of add) {
          const u = await deps.uploader.upload(b.sha256, true);
          if (!u.ok) return u;
        }
        count = 1;
        break;
      }
      for (const b of add) inBody.add(b.sha256);
      frames.push(...add);
      bytes += rowBytes;
      count++;
    }
    return ok({ entries: entries.slice(0, count), frames, count });
  }

  async function sendBatch(
    rows: readonly OutboxRow[],
    entries: PushEntry[],
  ): Promise<Synced<BatchSent> | null> {
    const prepared = await prepareBatch(rows, entries);
    if (prepared === null || !prepared.ok) return prepared;
    return sendPrepared(prepared.value);
  }

  /** POST /v2/sync of a prepared batch; null when the hall has no /v2 routes (any more). */
  function sendPrepared(b: PreparedBatch): Promise<Synced<BatchSent> | null> {
    return v2Usable() ? send(b.entries, b.frames, b.count) : Promise.resolve(null);
  }

  /** POST /v2/sync; null when the hall has no /v2 routes. */
  async function send(
    entries: PushEntry[],
    frames: BlobFrame[],
    count: number,
  ): Promise<Synced<BatchSent> | null> {
    // What will be left once this batch is in: the heartbeat's backlog (section 5c).
    const left = Math.max(0, backlog(db) - entries.length);
    const body = encodeSyncBody(
      {
        entries,
        blobs: frames.length,
        heartbeat: deps.heartbeatBody(left),
        pull: { cursor: readCursor(db), limit: PULL_LIMIT },
      },
      frames,
    );
    const r = await transport.send('POST', SYNC_V2_PATHS.sync, {
      body,
      contentType: SYNC_V2_CONTENT_TYPE,
      unsignedRefusals: [404],
      timeout: Math.max(transport.timeoutMs, 30_000),
    });
    if (!r.ok) return r;
    sentThisCycle = true;
    if (r.value.status === 404) {
      fallBack(SYNC_V2_PATHS.sync);
      return null;
    }
    // A refusal of the whole request (400 bad-frame, 401, 413, 422, 503): the push reads it.
    if (r.value.status !== 200) return ok({ reply: r.value, count });
    const p = parseReply(syncV2AnswerSchema, r.value, 'batch sync');
    if (!p.ok) return p;
    // Committed at the hall with this answer: the blobs are held.
    remembered.addAll(frames.map((f) => f.sha256));
    if (p.value.heartbeat) heartbeatSent = true;
    if (p.value.pull) {
      const a = deps.puller.applyAnswer(p.value.pull.status, p.value.pull.body);
      if (!a.ok) return a;
      if (a.value === 'done') pulled = (pulled ?? 0) + (a.pulled ?? 0);
      else pulled = null;
    }
    const push = p.value.push ?? { status: 200, body: { ackedThroughSeq: 0, results: [] } };
    return ok({ reply: { status: push.status, headers: r.value.headers, body: push.body }, count });
  }

  return {
    begin() {
      pulled = null;
      heartbeatSent = false;
      sentThisCycle = false;
    },
    sendBatch,
    prepareBatch,
    sendPrepared,
    forget(hashes) {
      for (const h of hashes) remembered.forget(h);
      return Promise.resolve(ok(undefined));
    },
    async pull() {
      if (pulled === null && !sentThisCycle && v2Usable()) {
        // Nothing was pushed this cycle: one request brings the heartbeat and the first page.
        const r = await send([], [], 0);
        if (r !== null && !r.ok) return r;
      }
      if (pulled !== null) return ok(pulled);
      return deps.puller.pullAll();
    },
    async heartbeat(n) {
      if (!heartbeatSent) await deps.sendHeartbeat(n);
    },
    usingV2: v2Usable,
  };
}
