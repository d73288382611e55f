/**
 * Push (docs/sync-protocol.md, 4 "Push", 4.1 and 4.3): the outbox in seq order and in batches,
 * each entry's blobs uploaded before the entry. The hall's acknowledgement is recorded with
 * `markAcked`, which tells the backend through its `RecordHandlers` in the same transaction. A seq
 * gap resends from the seq the hall expects; missing blobs are uploaded again and the batch resent.
 */
import { entryBlobs, parseEntry, type BlobFrame } from '../shared/wire/index.js';
import { err, ok } from '../shared/result.js';
import type { BlobUploader } from './blobs.js';
import { gapResponse, missingBlobsResponse, pushResponse, sha256Hex, type PushEntry } from './protocol.js';
import {
  countAttempt,
  markAcked,
  pendingRows,
  pendingRowsAfter,
  type OutboxRow,
  type SyncDb,
} from './store.js';
import type { RecordHandlers } from './streams.js';
import { describeError, stuck, type Synced } from './sync-error.js';
import { parseReply, type Reply, type SyncLogger, type Transport } from './transport.js';

/** A batch sent the batch-sync way: the push part of the answer and how many rows it carried. */
export type BatchSent = { reply: Reply; count: number };
/** A batch prepared to go the batch-sync way: the entries it carries (its first `count` rows), the blobs. */
export type PreparedBatch = { entries: PushEntry[]; frames: BlobFrame[]; count: number };

export const DEFAULT_BATCH_SIZE = 100;
const MAX_PUSH_ROUNDS = 10_000;
/** Rounds of "upload these blobs first" per push before the refusal is reported. */
const MAX_MISSING_BLOB_RETRIES = 2;

export type Pusher = {
  /** Pushes until the outbox is empty; the value is the number of entries acknowledged. */
  pushAll: () => Promise<Synced<number>>;
};

export function createPusher(deps: {
  db: SyncDb;
  transport: Transport;
  blobs: BlobUploader;
  clock: () => Date;
  logger: SyncLogger;
  records: Pick<RecordHandlers, 'acknowledged'>;
  batchSize?: number;
  /**
   * The first seq of this enrolment (docs/sync-protocol.md, 2): rows before it were acknowledged by an
   * earlier hall and are never resent, whatever a gap answer asks for.
   */
  firstSeq?: number;
  /**
   * Batch sync (batch-sync.ts): sends a batch with its blobs in one request and answers the push
   * part as a /v1 push answer, with how many of `rows` it carried; null when the hall has no /v2
   * routes — this batch then goes the /v1 way (blob by blob, then POST /v1/push).
   */
  sendBatch?: (rows: readonly OutboxRow[], entries: PushEntry[]) => Promise<Synced<BatchSent> | null>;
  /**
   * `sendBatch` in two halves (batch-sync.ts): with them the next batch is prepared — the hall asked
   * which of its blobs it lacks, the blobs read — while the one before is in flight, and sent as soon
   * as that one is acknowledged. One /v2/sync at a time still, in seq order.
   */
  prepareBatch?: (rows: readonly OutboxRow[], entries: PushEntry[]) => Promise<Synced<PreparedBatch> | null>;
  sendPrepared?: (batch: PreparedBatch) => Promise<Synced<BatchSent> | null>;
  /** What "upload these blobs first" does (default: upload each again, the /v1 way). */
  onMissingBlobs?: (hashes: readonly string[]) => Promise<Synced<void>>;
}): Pusher {
  const { db, transport, blobs, clock, logger, records } = deps;
  const batchSize = deps.batchSize ?? DEFAULT_BATCH_SIZE;
  const noLongerHeld = (seq: number) =>
    stuck(`the hall expects seq ${seq}, which this kiosk no longer holds`);

  /** The /v1 way: each entry's blobs uploaded (HEAD, then PUT), then POST /v1/push. */
  async function sendV1(rows: readonly OutboxRow[], entries: PushEntry[]): Promise<Synced<Reply>> {
    for (const row of rows) {
      // The blobs the hall will look for are the ones its parser finds; an entry that does not
      // parse is rejected with a reason, and needs nothing uploaded.
      const entry = parseEntry(row.kind, row.payload);
      for (const sha of entry.ok ? entryBlobs(entry.entry) : []) {
        const u = await blobs.upload(sha);
        if (!u.ok) return u;
      }
    }
    return transport.send('POST', 'v1/push', { body: Buffer.from(JSON.stringify({ entries })) });
  }

  async function uploadAgain(hashes: readonly string[]): Promise<Synced<void>> {
    for (const sha of hashes) {
      const u = await blobs.upload(sha, true);
      if (!u.ok) return u;
    }
    return ok(undefined);
  }

  const entriesOf = (rows: readonly OutboxRow[]): PushEntry[] =>
    rows.map((r) => ({ seq: r.seq, kind: r.kind, payload: r.payload, payloadHash: sha256Hex(r.payload) }));

  /** The next batch, being prepared while the one before is in flight. */
  type Ahead = { firstSeq: number; rows: OutboxRow[]; prepared: Promise<Synced<PreparedBatch> | null> };

  /** Starts preparing the batch after seq `after` (null: nothing after it, or no way to prepare). */
  function prepareAhead(after: number): Ahead | null {
    const { prepareBatch } = deps;
    if (!prepareBatch) return null;
    const rows = pendingRowsAfter(db, batchSize, after);
    const first = rows[0];
    if (!first) return null;
    // A failure (unreadable blob file, network) is the next round's to report, when it prepares again.
    const prepared = prepareBatch(rows, entriesOf(rows)).catch(() => null);
    return { firstSeq: first.seq, rows, prepared };
  }

  /** The batch-sync way for `rows`: the one prepared ahead when it starts where they do, else now. */
  async function sendByBatch(
    rows: OutboxRow[],
    ahead: Ahead | null,
  ): Promise<{ batch: Synced<BatchSent> | null; rows: OutboxRow[]; next: Ahead | null }> {
    const { prepareBatch, sendPrepared } = deps;
    if (!prepareBatch || !sendPrepared) {
      return { batch: deps.sendBatch ? await deps.sendBatch(rows, entriesOf(rows)) : null, rows, next: null };
    }
    const early = ahead !== null && ahead.firstSeq === rows[0]?.seq ? await ahead.prepared : null;
    const use = early?.ok && ahead ? { prepared: early, rows: ahead.rows } : null;
    const prepared = use?.prepared ?? (await prepareBatch(rows, entriesOf(rows)));
    const carried = use?.rows ?? rows;
    if (prepared === null || !prepared.ok) return { batch: prepared, rows: carried, next: null };
    const last = carried[prepared.value.count - 1];
    const next = last ? prepareAhead(last.seq) : null;
    return { batch: await sendPrepared(prepared.value), rows: carried, next };
  }

  async function pushAll(): Promise<Synced<number>> {
    let pushed = 0;
    /** The seq the hall asked to resend from after a gap (acknowledged rows included). */
    let from: number | null = null;
    let missingRetries = 0;
    let ahead: Ahead | null = null;
    for (let round = 0; round < MAX_PUSH_ROUNDS; round++) {
      let rows = pendingRows(db, batchSize, from);
      if (rows.length === 0) return from !== null ? noLongerHeld(from) : ok(pushed);
      let batch: Synced<BatchSent> | null = null;
      if (deps.sendBatch || deps.prepareBatch) {
        // What was prepared ahead is used only in order, never when resending after a gap.
        const way = await sendByBatch(rows, from === null ? ahead : null);
        ({ batch, rows } = way);
        ahead = way.next;
      }
      const sent: Synced<Reply> = batch
        ? batch.ok
          ? ok(batch.value.reply)
          : batch
        : await sendV1(rows, entriesOf(rows));
      // Only the rows the request carried count (a batch may carry fewer to stay within its size).
      if (batch?.ok) rows.length = batch.value.count;
      const seqs = rows.map((r) => r.seq);
      if (!sent.ok) {
        countAttempt(db, seqs, describeError(sent.error));
        return sent;
      }
      const r = sent.value;
      const at = clock().toISOString();
      if (r.status === 200) {
        const p = parseReply(pushResponse, r, 'push');
        if (!p.ok) return p;
        const first = rows[0]?.seq ?? 0;
        pushed += markAcked(db, p.value.ackedThroughSeq, p.value.results, at, records);
        for (const res of p.value.results) {
          if (res.status !== 'applied')
            logger.warn(
              { seq: res.seq, status: res.status, reason: res.reason },
              'hall did not apply an outbox entry',
            );
        }
        if (p.value.ackedThroughSeq < first)
          return stuck(`hall acknowledged through ${p.value.ackedThroughSeq}, before seq ${first}`);
        from = null;
        missingRetries = 0;
        continue;
      }
      if (r.status === 409) {
        const gap = gapResponse.safeParse(r.body);
        if (gap.success) {
          pushed += markAcked(db, gap.data.ackedThroughSeq, gap.data.results, at, records);
          logger.warn(
            { expectedSeq: gap.data.expectedSeq },
            'hall reports a seq gap; resending from the seq it expects',
          );
          if (gap.data.expectedSeq < (deps.firstSeq ?? 1))
            return stuck(
              `the hall asks for seq ${gap.data.expectedSeq}, acknowledged by the hall this kiosk was enrolled with before; not sent again`,
            );
          if (from !== null && gap.data.expectedSeq === from) return noLongerHeld(from);
          from = gap.data.expectedSeq;
          continue;
        }
        const missing = missingBlobsResponse.safeParse(r.body);
        if (missing.success && missingRetries < MAX_MISSING_BLOB_RETRIES) {
          missingRetries++;
          const u = deps.onMissingBlobs
            ? await deps.onMissingBlobs(missing.data.hashes)
            : await uploadAgain(missing.data.hashes);
          if (!u.ok) return u;
          continue;
        }
      }
      const e = transport.httpError(r);
      countAttempt(db, seqs, describeError(e));
      return err(e);
    }
    return stuck('push did not finish within its round limit');
  }

  return { pushAll };
}
