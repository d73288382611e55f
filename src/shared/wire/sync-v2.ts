/**
 * Batch sync (docs/sync-protocol.md, 5e "Batch sync: the /v2 routes"): one request asks which of a
 * list of blobs the hall lacks, and one signed request carries a batch of outbox entries, the blobs
 * they need, the heartbeat and the pull — so a kiosk cycle is one or two requests instead of a HEAD
 * and a PUT per blob, a push, a pull and a heartbeat. Defined once here for kiosk and hall.
 *
 * The body of `POST /v2/sync` is framed binary (`SYNC_V2_CONTENT_TYPE`), so 50 KB scans travel as
 * bytes rather than base64 inside JSON (the PouchDB lesson in section "Why it is built this way"):
 *
 *   magic    4 bytes   "ZZS2"
 *   headLen  u32 BE    1 … SYNC_V2_MAX_HEAD_BYTES
 *   head     headLen bytes of UTF-8 JSON (syncV2HeadSchema), which also says how many blobs follow
 *   then `head.blobs` frames, each:
 *     sha256  32 raw bytes, the blob's name
 *     length  u32 BE    0 … SYNC_V2_MAX_INLINE_BLOB_BYTES
 *     bytes   `length` bytes
 *   and nothing after the last frame.
 *
 * A body that ends inside a frame, runs past the last frame, or has fewer frames than the head says
 * is torn (`decodeSyncBody` → `bad-frame`); the hall stores nothing from it.
 */
import { z } from 'zod';
import { err, ok, type Result } from '../result.js';
import { heartbeatSchema, MAX_BATCH, MAX_CHANGES_PAGE, pushEntrySchema } from './protocol.js';

/** Relative to the hall's base URL, like the /v1 paths. */
export const SYNC_V2_PATHS = { missing: 'v2/blobs/missing', sync: 'v2/sync' } as const;
export const SYNC_V2_CONTENT_TYPE = 'application/x-zizhu-sync-v2';
export const SYNC_V2_MAGIC = Buffer.from('ZZS2', 'ascii');

/** The whole framed body (the gate refuses a larger Content-Length before reading: 413). */
export const SYNC_V2_MAX_BODY_BYTES = 16 * 1024 * 1024;
/** The JSON head: a push batch of up to MAX_BATCH entries, like `POST /v1/push`. */
export const SYNC_V2_MAX_HEAD_BYTES = 8 * 1024 * 1024;
/** A blob carried whole in a frame; a larger one goes by the resumable /v1 upload (section 3). */
export const SYNC_V2_MAX_INLINE_BLOB_BYTES = 8 * 1024 * 1024;
/** Frames in one body. */
export const SYNC_V2_MAX_BLOBS = 256;
/** Hashes in one "which are missing" question. */
export const SYNC_V2_MAX_QUERY_HASHES = 1000;

const HEX64 = /^[0-9a-f]{64}$/;

/** `POST /v2/blobs/missing` body: which of these does the hall not hold complete and verified? */
export const missingQuerySchema = z.object({
  hashes: z.array(z.string().regex(HEX64)).max(SYNC_V2_MAX_QUERY_HASHES),
});
export type MissingQuery = z.infer<typeof missingQuerySchema>;
/** … answered with the ones it lacks, in the order asked. */
export const missingAnswerSchema = z.object({ missing: z.array(z.string().regex(HEX64)) });
export type MissingAnswer = z.infer<typeof missingAnswerSchema>;

export const syncV2HeadSchema = z.object({
  /** A push batch with the /v1 push's rules (section 4.1); may be empty. */
  entries: z.array(pushEntrySchema).max(MAX_BATCH),
  /** How many blob frames follow the head. */
  blobs: z.number().int().min(0).max(SYNC_V2_MAX_BLOBS),
  /** The heartbeat (section 5c), taken with the request's other writes. */
  heartbeat: heartbeatSchema.optional(),
  /** The first pull page after this request's push (section 5, `GET /v1/changes`). */
  pull: z
    .object({ cursor: z.string().max(512), limit: z.number().int().min(1).max(MAX_CHANGES_PAGE) })
    .optional(),
});
export type SyncV2Head = z.infer<typeof syncV2HeadSchema>;

/**
 * One part of the answer: the status and body the /v1 route would have answered (push: 200 or 409
 * gap / missing-blobs / 400 …; pull: 200 changes or 410 must-refetch …), read with the /v1 schemas.
 */
export const answerPartSchema = z.object({ status: z.number().int(), body: z.unknown() });
export type AnswerPart = z.infer<typeof answerPartSchema>;

/** `POST /v2/sync` 200: every part was taken in one transaction, committed before this answer. */
export const syncV2AnswerSchema = z.object({
  /** Blobs of this body now held (stored, or already known). */
  blobsStored: z.number().int().min(0),
  push: answerPartSchema.nullable(),
  pull: answerPartSchema.nullable(),
  heartbeat: z.boolean(),
});
export type SyncV2Answer = z.infer<typeof syncV2AnswerSchema>;

export type BlobFrame = { sha256: string; bytes: Buffer };

const FRAME_HEAD_BYTES = 32 + 4;

/** Builds a body; the caller keeps it within the bounds (the hall refuses it otherwise). */
export function encodeSyncBody(head: SyncV2Head, blobs: readonly BlobFrame[]): Buffer {
  const json = Buffer.from(JSON.stringify({ ...head, blobs: blobs.length }), 'utf8');
  const lead = Buffer.alloc(8);
  SYNC_V2_MAGIC.copy(lead, 0);
  lead.writeUInt32BE(json.length, 4);
  const parts: Buffer[] = [lead, json];
  for (const b of blobs) {
    const fh = Buffer.alloc(FRAME_HEAD_BYTES);
    Buffer.from(b.sha256, 'hex').copy(fh, 0);
    fh.writeUInt32BE(b.bytes.length, 32);
    parts.push(fh, b.bytes);
  }
  return Buffer.concat(parts);
}

/** The bytes a body with these blobs takes besides its head (for the kiosk's batch budget). */
export const frameBytes = (blobBytes: number): number => FRAME_HEAD_BYTES + blobBytes;

export type FrameProblem = { kind: 'bad-frame'; message: string };

/**
 * Reads a body: its head (JSON, not yet validated: the caller parses it with syncV2HeadSchema) and
 * its frames. Every length is checked against the bytes left and the bounds before it is used, so a
 * torn or lying body is refused whole. Hashes are not checked here: the hall does, per frame.
 */
export function decodeSyncBody(body: Buffer): Result<{ head: unknown; blobs: BlobFrame[] }, FrameProblem> {
  const bad = (message: string) => err({ kind: 'bad-frame' as const, message });
  if (body.length > SYNC_V2_MAX_BODY_BYTES) return bad(`body over ${SYNC_V2_MAX_BODY_BYTES} bytes`);
  if (body.length < 8 || !body.subarray(0, 4).equals(SYNC_V2_MAGIC))
    return bad('body does not start with ZZS2');
  const headLen = body.readUInt32BE(4);
  if (headLen < 1 || headLen > SYNC_V2_MAX_HEAD_BYTES) return bad(`head length ${headLen} out of range`);
  if (8 + headLen > body.length) return bad('body ends inside the head');
  let head: unknown;
  try {
    head = JSON.parse(body.subarray(8, 8 + headLen).toString('utf8')) as unknown;
  } catch {
    return bad('head is not JSON');
  }
  const declared =
    typeof head === 'object' && head !== null ? (head as { blobs?: unknown }).blobs : undefined;
  if (
    typeof declared !== 'number' ||
    !Number.isInteger(declared) ||
    declared < 0 ||
    declared > SYNC_V2_MAX_BLOBS
  )
    return bad(`head.blobs must be 0–${SYNC_V2_MAX_BLOBS}`);
  const blobs: BlobFrame[] = [];
  let at = 8 + headLen;
  for (let i = 0; i < declared; i++) {
    if (at + FRAME_HEAD_BYTES > body.length) return bad(`body ends inside frame ${i + 1} of ${declared}`);
    const sha256 = body.subarray(at, at + 32).toString('hex');
    const length = body.readUInt32BE(at + 32);
    if (length > SYNC_V2_MAX_INLINE_BLOB_BYTES)
      return bad(`frame ${i + 1} declares ${length} bytes, over ${SYNC_V2_MAX_INLINE_BLOB_BYTES}`);
    at += FRAME_HEAD_BYTES;
    if (at + length > body.length) return bad(`body ends inside frame ${i + 1} of ${declared}`);
    blobs.push({ sha256, bytes: body.subarray(at, at + length) });
    at += length;
  }
  if (at !== body.length) return bad(`${body.length - at} bytes after the last frame`);
  return ok({ head, blobs });
}
