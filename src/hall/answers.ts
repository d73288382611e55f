/**
 * What the hall's services answer and the HTTP layer sends as it is: a status, a JSON body and
 * maybe headers. Every refusal is `{ error, message, … }` with an error code from the protocol's
 * closed list (HallErrorCode, src/shared/wire/protocol.ts), built here and nowhere else.
 */
import type { HallError, HallErrorCode } from '../shared/wire/index.js';

export type HttpAnswer = { status: number; body: unknown; headers?: Record<string, string> };

/** A refusal: `extra` adds what the code documents (the expected seq, the missing hashes …). */
export const hallError = (
  status: number,
  error: HallErrorCode,
  message: string,
  extra: Record<string, unknown> = {},
): HttpAnswer => ({ status, body: { error, message, ...extra } satisfies HallError });

/** 400 bad-request: a body or parameter the hall cannot use. */
export const badRequest = (message: string): HttpAnswer => hallError(400, 'bad-request', message);

/** 400 for a body that does not parse as JSON. */
export const notJson = (): HttpAnswer => badRequest('body is not JSON');

/** 404 not-found (another jurisdiction's case or task does not exist for a staff member). */
export const notFound = (message: string): HttpAnswer => hallError(404, 'not-found', message);

/** 401 for a staff request without a valid bearer token. */
export const staffUnauthenticated = (): HttpAnswer =>
  hallError(401, 'unauthenticated', 'sign in, or give a staff bearer token');

/** 403 forbidden: the staff member is known but their role or jurisdictions do not allow this. */
export const forbidden = (message: string): HttpAnswer => hallError(403, 'forbidden', message);
