/**
 * Request authentication (docs/sync-protocol.md, "Authentication"). Every request except enrolment
 * carries the kiosk id, a timestamp, a nonce, the schema version and an HMAC-SHA256 signature with
 * the kiosk's secret over the canonical string below. Implemented here independently of the kiosk
 * side (src/sync/protocol.ts) so the conformance tests check the documented format, not shared code.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export const HEADER = {
  kioskId: 'x-zizhu-kiosk-id',
  timestamp: 'x-zizhu-timestamp',
  nonce: 'x-zizhu-nonce',
  schema: 'x-zizhu-schema-version',
  signature: 'x-zizhu-signature',
} as const;

/** Requests older or newer than this are refused; nonces are remembered at least this long. */
export const CLOCK_SKEW_MS = 5 * 60 * 1000;

export const sha256Hex = (data: Buffer | string): string => createHash('sha256').update(data).digest('hex');

/** METHOD \n path-with-query \n timestamp \n nonce \n sha256(body) — each exactly as sent. */
export function canonicalString(
  method: string,
  path: string,
  timestamp: string,
  nonce: string,
  body: Buffer,
): string {
  return [method.toUpperCase(), path, timestamp, nonce, sha256Hex(body)].join('\n');
}

export function verifySignature(secret: string, canonical: string, signature: string): boolean {
  if (!/^[0-9a-f]{64}$/.test(signature)) return false;
  const expected = createHmac('sha256', secret).update(canonical).digest();
  return timingSafeEqual(expected, Buffer.from(signature, 'hex'));
}
