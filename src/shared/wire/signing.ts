/**
 * Request signing (docs/sync-protocol.md, 1 "Request headers and authentication"), for the kiosk that signs
 * and the hall that verifies: HMAC-SHA256 with the kiosk's secret over
 * `METHOD \n path-with-query \n timestamp \n nonce \n hex sha256 of the body bytes`, each exactly as
 * sent. The documented test vector (signing.test.ts) pins the format for other implementations.
 * Node only (node:crypto): the kiosk's sync client and the hall import it, the screen never does.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export const sha256Hex = (data: Uint8Array | string): string =>
  createHash('sha256').update(data).digest('hex');

export function signingString(
  method: string,
  pathWithQuery: string,
  timestamp: string,
  nonce: string,
  body: Uint8Array,
): string {
  return [method.toUpperCase(), pathWithQuery, timestamp, nonce, sha256Hex(body)].join('\n');
}

export const sign = (secret: string, text: string): string =>
  createHmac('sha256', secret).update(text).digest('hex');

/** Constant-time comparison of a presented signature with the expected one. */
export function verifySignature(secret: string, text: string, signature: string): boolean {
  if (!/^[0-9a-f]{64}$/.test(signature)) return false;
  const expected = createHmac('sha256', secret).update(text).digest();
  return timingSafeEqual(expected, Buffer.from(signature, 'hex'));
}

/**
 * Answer signing (docs/sync-protocol.md, 1.1 "Signed answers", schema version 2): the hall signs every
 * answer to an authenticated kiosk request with the same kiosk secret, over
 * `zizhu-answer-v2 \n request nonce \n status code \n hex sha256 of the answer body bytes`. The nonce ties
 * the answer to the one request it answers (a recorded answer cannot be replayed to another request);
 * the status and body cover everything the kiosk acts on. The test vector is in signing.test.ts.
 */
export const ANSWER_SIGNATURE_CONTEXT = 'zizhu-answer-v2';

export function answerSigningString(nonce: string, status: number, body: Uint8Array): string {
  return [ANSWER_SIGNATURE_CONTEXT, nonce, String(status), sha256Hex(body)].join('\n');
}

export const signAnswer = (secret: string, nonce: string, status: number, body: Uint8Array): string =>
  sign(secret, answerSigningString(nonce, status, body));

/** True only for the exact signature of this answer to the request with this nonce. */
export const verifyAnswer = (
  secret: string,
  nonce: string,
  status: number,
  body: Uint8Array,
  signature: string | null,
): boolean =>
  signature !== null &&
  verifySignature(secret, answerSigningString(nonce, status, body), signature.toLowerCase());
