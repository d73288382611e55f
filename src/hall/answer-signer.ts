/**
 * Signed answers (docs/sync-protocol.md, 1.1): one fastify `onSend` hook signs the answer to every
 * request a kiosk authenticated, whatever route answered it (routes added later are covered without
 * knowing about it), with the kiosk's secret over the request's nonce, the status and the body bytes
 * exactly as sent (src/shared/wire/signing.ts). Answers to unauthenticated requests (enrolment, a
 * refused signature) stay unsigned: the hall does not sign for a key the caller did not prove.
 */
import type { FastifyInstance } from 'fastify';
import { HEADERS } from '../shared/wire/index.js';
import { signAnswer } from '../shared/wire/signing.js';
import type { RequestHeaders } from './kiosk-access.js';

export type AnswerKeyLookup = (headers: RequestHeaders) => { secret: string; nonce: string } | undefined;

/** The payload's bytes as they go out; null for a stream (not signable: the kiosk refuses it). */
function payloadBytes(payload: unknown): Uint8Array | null {
  if (payload === undefined || payload === null) return new Uint8Array(0);
  if (typeof payload === 'string') return Buffer.from(payload, 'utf8');
  if (Buffer.isBuffer(payload)) return payload;
  if (payload instanceof Uint8Array) return payload;
  return null;
}

export function registerAnswerSigner(app: FastifyInstance, keyFor: AnswerKeyLookup): void {
  app.addHook('onSend', (req, reply, payload, done) => {
    const key = keyFor(req.headers);
    if (!key) return done(null, payload);
    const bytes = req.method === 'HEAD' ? new Uint8Array(0) : payloadBytes(payload);
    if (bytes === null) {
      req.log.error({ url: req.url }, 'answer to a kiosk is a stream and cannot be signed');
      return done(null, payload);
    }
    void reply.header(HEADERS.answerSignature, signAnswer(key.secret, key.nonce, reply.statusCode, bytes));
    return done(null, payload);
  });
}
