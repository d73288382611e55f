/**
 * Kiosk side of the wire format (docs/sync-protocol.md): header names, the canonical string that is
 * signed, payload hashing, blob references and zod schemas for every hall answer (the hall is a
 * trust boundary too).
 */
import { createHash, createHmac } from 'node:crypto';
import { z } from 'zod';

export const SCHEMA_VERSION = 1;

export const HEADERS = {
  kioskId: 'x-zizhu-kiosk-id',
  timestamp: 'x-zizhu-timestamp',
  nonce: 'x-zizhu-nonce',
  schema: 'x-zizhu-schema-version',
  signature: 'x-zizhu-signature',
  blobOffset: 'x-zizhu-blob-offset',
  blobSize: 'x-zizhu-blob-size',
} as const;

export const sha256Hex = (data: Buffer | Uint8Array | string): string =>
  createHash('sha256').update(data).digest('hex');

/** "Signature" section: METHOD \n path?query \n timestamp \n nonce \n hex sha256 of the body bytes. */
export function signingString(
  method: string,
  pathWithQuery: string,
  timestamp: string,
  nonce: string,
  body: Uint8Array,
): string {
  return [method.toUpperCase(), pathWithQuery, timestamp, nonce, sha256Hex(body)].join('\n');
}

export function sign(secret: string, text: string): string {
  return createHmac('sha256', secret).update(text).digest('hex');
}

const HEX64 = /^[0-9a-f]{64}$/;

/** Blobs an entry references: every "sha256" property holding 64 lowercase hex digits, at any depth. */
export function referencedBlobs(json: unknown, out: Set<string> = new Set()): Set<string> {
  if (Array.isArray(json)) for (const v of json) referencedBlobs(v, out);
  else if (json !== null && typeof json === 'object') {
    for (const [k, v] of Object.entries(json)) {
      if (k === 'sha256' && typeof v === 'string' && HEX64.test(v)) out.add(v);
      else referencedBlobs(v, out);
    }
  }
  return out;
}

export const enrollResponse = z.object({
  kioskId: z.string().min(1),
  secret: z.string().min(16),
  jurisdiction: z.string(),
});

export const pushResult = z.object({
  seq: z.number().int(),
  status: z.enum(['applied', 'rejected', 'conflict']),
  duplicate: z.boolean().optional(),
  hallReference: z.string().nullable(),
  reason: z.string().optional(),
});
export type PushResult = z.infer<typeof pushResult>;

export const pushResponse = z.object({
  ackedThroughSeq: z.number().int().min(0),
  results: z.array(pushResult),
});
export const gapResponse = z.object({
  error: z.literal('gap'),
  expectedSeq: z.number().int().min(1),
  ackedThroughSeq: z.number().int().min(0),
  results: z.array(pushResult).default([]),
});
export const missingBlobsResponse = z.object({
  error: z.literal('missing-blobs'),
  hashes: z.array(z.string().regex(HEX64)),
});

export const change = z.object({
  stream: z.string().min(1),
  key: z.string().min(1),
  op: z.enum(['put', 'del']),
  version: z.number().int().min(1),
  data: z.unknown(),
});
export type Change = z.infer<typeof change>;

export const changesResponse = z.object({
  changes: z.array(change),
  nextCursor: z.string(),
  hasMore: z.boolean(),
});
export const mustRefetchResponse = z.object({ mustRefetch: z.literal(true), reason: z.string() });
export const snapshotResponse = z.object({
  records: z.array(change),
  nextAfter: z.string(),
  hasMore: z.boolean(),
  cursor: z.string(),
});
export const waitResponse = z.object({ changed: z.boolean() });
export const blobPutResponse = z.object({
  complete: z.boolean(),
  offset: z.number().int().min(0).optional(),
  size: z.number().optional(),
});
export const errorResponse = z.looseObject({
  error: z.string(),
  message: z.string().optional(),
  offset: z.number().optional(),
  hallTime: z.number().optional(),
});

/** The `case-status` stream's data (hall → kiosk). */
export const caseStatusData = z.looseObject({
  status: z.string().min(1),
  at: z.string().min(1),
  note: z.string().optional(),
});
