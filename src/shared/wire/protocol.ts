/**
 * The sync protocol's messages (docs/sync-protocol.md), once for the kiosk's client and the hall's
 * server: header names, the schema version, the signed string, every request body and every
 * answer, and the hall's error codes. The hall builds its answers typed by these schemas and the
 * kiosk parses them with the same ones (the hall is a trust boundary for the kiosk too).
 *
 * No node: imports here (signing lives in signing.ts), so any part may read the shapes.
 */
import { z } from 'zod';
import { windowCodeSchema } from '../catalog-schemas.js';
import {
  daySchema,
  ENTRY_REJECT_CODES,
  HEX64,
  instantSchema,
  priorityKindSchema,
  sha256Schema,
} from './entries.js';

/** The protocol version a kiosk sends (x-zizhu-schema-version) and the ones a hall accepts. */
export const SCHEMA_VERSION = 2;
/**
 * Version 2 added signed answers and sealed enrolment (docs/sync-protocol.md, 1.1 and 2); a version 1
 * kiosk would neither check the one nor open the other, so it is refused with 426.
 */
export const SUPPORTED_SCHEMA_VERSIONS: readonly number[] = [2];

export const HEADERS = {
  kioskId: 'x-zizhu-kiosk-id',
  timestamp: 'x-zizhu-timestamp',
  nonce: 'x-zizhu-nonce',
  schema: 'x-zizhu-schema-version',
  signature: 'x-zizhu-signature',
  /** The hall's signature over the request's nonce, the status and the answer body (1.1). */
  answerSignature: 'x-zizhu-answer-signature',
  blobOffset: 'x-zizhu-blob-offset',
  blobSize: 'x-zizhu-blob-size',
} as const;

/** Requests older or newer than this are refused; nonces are remembered at least this long. */
export const CLOCK_SKEW_MS = 5 * 60 * 1000;
export const NONCE_PATTERN = /^[0-9A-Za-z_-]{16,128}$/;

export const MAX_BATCH = 500;
export const MAX_CHANGES_PAGE = 1000;
export const MAX_BLOB_BYTES = 64 * 1024 * 1024;

// ---------------------------------------------------------------------------------------------
// Errors

/**
 * Every error code a hall answers with, in `{ error, message, … }` bodies. A kiosk treats 5xx and
 * network failures as transient (retry with backoff) and the 4xx codes as the protocol says.
 */
export const HALL_ERROR_CODES = [
  'bad-request',
  'schema-version-missing',
  'schema-version-unsupported',
  'unauthenticated',
  'bad-timestamp',
  'bad-nonce',
  'stale-timestamp',
  'unknown-kiosk',
  'bad-signature',
  'replayed',
  'invalid-code',
  'code-used',
  'code-expired',
  'payload-hash-mismatch',
  'gap',
  'missing-blobs',
  'bad-hash',
  'bad-size',
  'offset-mismatch',
  'hash-mismatch',
  'bad-cursor',
  // 410 on a pull: the cursor belongs to another history of the change log (a restored hall,
  // docs/sync-protocol.md 5.1); the body also says mustRefetch, like every 410 of the pull.
  'history-changed',
  'not-found',
  'invalid-transition',
  'range-exhausted',
  'empty',
  'unavailable',
  // The hall's own protection (docs/security.md, "The hall as an Internet-facing service"):
  // 413 a body over the route's limit, 429 too many failed attempts from one address, 507 a
  // kiosk's unfinished uploads over its quota.
  'too-large',
  'rate-limited',
  // 400 a POST /v2/sync body whose framing is torn or out of bounds (src/shared/wire/sync-v2.ts).
  'bad-frame',
  'quota-exceeded',
  // The staff desk (docs/sync-protocol.md, 8 "Staff API"): 401 a wrong name or password, 429 an
  // account or address locked out after failed logins, 403 a role or jurisdiction that may not, 403
  // a state change without the session's CSRF token or from another origin.
  'bad-credentials',
  'locked',
  'forbidden',
  'csrf-refused',
] as const;
export type HallErrorCode = (typeof HALL_ERROR_CODES)[number];

export type HallError = { error: HallErrorCode; message: string } & Record<string, unknown>;

/** What a kiosk reads of any error body: the code (an unknown code of a newer hall stays a string). */
export const errorBodySchema = z.looseObject({
  error: z.string(),
  message: z.string().optional(),
  offset: z.number().optional(),
  hallTime: z.number().optional(),
});

// ---------------------------------------------------------------------------------------------
// Enrolment

/** An X25519 public key: its 32 raw bytes in base64url (the JWK `x`). */
const x25519PublicKeySchema = z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'an X25519 public key (base64url)');
const base64urlSchema = z.string().regex(/^[A-Za-z0-9_-]{1,4096}$/);

/**
 * Sealed enrolment (src/shared/wire/enrolment.ts): the code itself never travels, only a proof of it
 * bound to the kiosk's ephemeral key and to the first seq the new hall is to expect (the rows another
 * hall acknowledged are never sent again).
 */
export const enrollRequestSchema = z.object({
  kioskPublicKey: x25519PublicKeySchema,
  proof: z.string().regex(HEX64),
  firstSeq: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
});
export type EnrollRequest = z.infer<typeof enrollRequestSchema>;
export const enrollResponseSchema = z.object({
  kioskId: z.string().min(1),
  jurisdiction: z.string(),
  hallPublicKey: x25519PublicKeySchema,
  sealedSecret: z.object({ iv: base64urlSchema, ciphertext: base64urlSchema, tag: base64urlSchema }),
});
export type EnrollResponse = z.infer<typeof enrollResponseSchema>;

// ---------------------------------------------------------------------------------------------
// Push

export const pushEntrySchema = z.object({
  seq: z.number().int().min(1),
  kind: z.string().min(1).max(64),
  payload: z.string(),
  payloadHash: z.string().regex(HEX64),
});
export const pushRequestSchema = z.object({ entries: z.array(pushEntrySchema).max(MAX_BATCH) });
export type PushEntry = z.infer<typeof pushEntrySchema>;

export const pushResultSchema = z.object({
  seq: z.number().int(),
  status: z.enum(['applied', 'rejected', 'conflict']),
  duplicate: z.boolean().optional(),
  hallReference: z.string().nullable(),
  reason: z.string().optional(),
  /** Why a rejected entry was refused (ENTRY_REJECT_CODES); `reason` says it in words. */
  code: z.enum(ENTRY_REJECT_CODES).optional(),
});
export type PushResult = z.infer<typeof pushResultSchema>;

export const pushResponseSchema = z.object({
  ackedThroughSeq: z.number().int().min(0),
  results: z.array(pushResultSchema),
});
export type PushResponse = z.infer<typeof pushResponseSchema>;

/** 409: an entry arrived before the one the hall expects. */
export const gapResponseSchema = z.object({
  error: z.literal('gap'),
  expectedSeq: z.number().int().min(1),
  ackedThroughSeq: z.number().int().min(0),
  results: z.array(pushResultSchema).default([]),
});
/** 409: upload these blobs first. */
export const missingBlobsResponseSchema = z.object({
  error: z.literal('missing-blobs'),
  hashes: z.array(sha256Schema),
});

// ---------------------------------------------------------------------------------------------
// Blobs

export const blobPutResponseSchema = z.object({
  complete: z.boolean(),
  offset: z.number().int().min(0).optional(),
  size: z.number().optional(),
});
export type BlobPutResponse = z.infer<typeof blobPutResponseSchema>;

// ---------------------------------------------------------------------------------------------
// Pull

export const changeSchema = z.object({
  stream: z.string().min(1),
  key: z.string().min(1),
  op: z.enum(['put', 'del']),
  version: z.number().int().min(1),
  data: z.unknown(),
});
export type Change = z.infer<typeof changeSchema>;

/**
 * Epoch of the hall's change log and this kiosk's lastAppliedSeq at the hall (5.1): a hall older
 * than epochs sends neither, so both are optional for the kiosk.
 */
const logIdentity = {
  epoch: z
    .string()
    .regex(/^[0-9a-f]{8,64}$/)
    .optional(),
  lastAppliedSeq: z.number().int().min(0).nullable().optional(),
};

export const changesResponseSchema = z.object({
  changes: z.array(changeSchema),
  nextCursor: z.string(),
  hasMore: z.boolean(),
  ...logIdentity,
});
export type ChangesResponse = z.infer<typeof changesResponseSchema>;
/** 410: the cursor is older than the hall's change log (or unknown): take a snapshot. */
export const mustRefetchResponseSchema = z.object({ mustRefetch: z.literal(true), reason: z.string() });
export const snapshotResponseSchema = z.object({
  records: z.array(changeSchema),
  nextAfter: z.string(),
  hasMore: z.boolean(),
  cursor: z.string(),
  ...logIdentity,
});
export type SnapshotResponse = z.infer<typeof snapshotResponseSchema>;
export const waitResponseSchema = z.object({ changed: z.boolean() });

// ---------------------------------------------------------------------------------------------
// Calls besides sync: heartbeat, shared licences, queue numbers

/** One device that is not fine, as the kiosk's device manager reports it. */
export const deviceHealthSchema = z.object({
  kind: z.string().min(1).max(32),
  state: z.string().min(1).max(32),
  detail: z.string().max(200).nullable(),
});
export type DeviceHealth = z.infer<typeof deviceHealthSchema>;

/**
 * Free and total bytes of the file system holding the kiosk's data directory (statfs): the fleet
 * view warns when little is left (src/shared/storage-space.ts) before submissions fail as full.
 */
export const storageSpaceSchema = z
  .object({
    freeBytes: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
    totalBytes: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  })
  .refine((s) => s.freeBytes <= s.totalBytes, { message: 'freeBytes is more than totalBytes' });

/**
 * POST /v1/heartbeat: the kiosk's backlog, its devices that are not fine, its software version and
 * (optional: kiosks older than this field do not send it) its data directory's free space.
 */
export const heartbeatSchema = z.object({
  backlog: z.number().int().min(0).max(10_000_000),
  devices: z.array(deviceHealthSchema).max(32),
  appVersion: z.string().min(1).max(64),
  storage: storageSpaceSchema.optional(),
});
export type Heartbeat = z.infer<typeof heartbeatSchema>;

/** POST /v1/licences/lookup: which of these materials the hall holds as shared licences (电子证照). */
export const licenceLookupRequestSchema = z.object({
  idNumber: z.string().regex(/^[0-9A-Z]{15,18}$/),
  materials: z.array(z.string().min(1).max(64)).min(1).max(50),
});
export type LicenceLookupRequest = z.infer<typeof licenceLookupRequestSchema>;
export const licenceLookupResponseSchema = z.object({ held: z.array(z.string()) });
export type LicenceLookupResponse = z.infer<typeof licenceLookupResponseSchema>;

/** POST /v1/queue/tickets: a number from the hall's queue (same key → same number). */
export const takeTicketRequestSchema = z.object({
  id: z.uuid(),
  idempotencyKey: z.string().min(8).max(80),
  window: windowCodeSchema,
  /** The letter printed before the number (the kiosk's catalog has it), e.g. "E" → E007. */
  prefix: z.string().regex(/^[A-Z]$/),
  serviceDate: daySchema,
  /** A priority number (优先号, src/shared/queue-ticket.ts); absent: an ordinary one. */
  priority: priorityKindSchema.optional(),
});
export type TakeTicketRequest = z.infer<typeof takeTicketRequestSchema>;
export const takeTicketResponseSchema = z.object({
  number: z.string().min(1),
  peopleWaiting: z.number().int().min(0),
  issuedAt: instantSchema,
  /** Echoed for a priority number; a hall that predates priority tickets leaves it out. */
  priority: priorityKindSchema.optional(),
});
export type TakeTicketResponse = z.infer<typeof takeTicketResponseSchema>;

/** GET /v1/queue/status?serviceDate=: people waiting per window category. */
export const queueStatusResponseSchema = z.object({ waiting: z.record(z.string(), z.number().int().min(0)) });
export type QueueStatusResponse = z.infer<typeof queueStatusResponseSchema>;
