/**
 * The signed transport (docs/sync-protocol.md, 1 "Request headers and authentication"): one request to the
 * hall, signed with the kiosk's secret and bounded by a timeout; its answer read as JSON. Every failure is a
 * value: unreachable or too slow → `network`, an answer that is not JSON → `protocol`. What the
 * answer means is the caller's, read with the contract's schemas (`parseReply`, `httpError`).
 */
import { randomBytes } from 'node:crypto';
import type { z } from 'zod';
import { err, ok } from '../shared/result.js';
import { parseRetryAfter } from './backoff.js';
import { keepAliveFetch } from './hall-endpoint.js';
import { errorResponse, HEADERS, SCHEMA_VERSION, sign, signingString, verifyAnswer } from './protocol.js';
import type { SyncError, Synced } from './sync-error.js';

export type FetchFn = typeof fetch;
export type SyncLogger = {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
  debug(obj: object, msg?: string): void;
};
export type Credentials = { kioskId: string; secret: string };

/** A hall's answer: status, headers and the body parsed as JSON (null when empty, or for HEAD). */
export type Reply = { status: number; headers: Headers; body: unknown };

export type RequestOptions = {
  body?: Uint8Array;
  contentType?: string;
  headers?: Record<string, string>;
  /** Overrides the transport's timeout for this request (a long-poll, a chunk upload). */
  timeout?: number;
  /** Aborts the request early (the loop's wake-up). */
  signal?: AbortSignal;
  /**
   * Statuses read unsigned besides `mayBeUnsigned`'s, as refusals only: the batch-sync probe's 404
   * (a hall without the /v2 routes answers before it knows the kiosk; docs/sync-protocol.md, 5e.1).
   */
  unsignedRefusals?: readonly number[];
};

export type Transport = {
  /**
   * One signed request. A refusal for a stale timestamp that carries the hall's time corrects the
   * kiosk's clock offset and is retried once; the offset is kept for every later request.
   */
  send: (method: string, path: string, opts?: RequestOptions) => Promise<Synced<Reply>>;
  /** A refusal as a value, with the hall's error code and its Retry-After. */
  httpError: (reply: Reply) => SyncError;
  /** The default timeout of one request. */
  readonly timeoutMs: number;
};

export const DEFAULT_TIMEOUT_MS = 15_000;

/**
 * Answers the hall gives before it knows the kiosk (bad headers, unknown kiosk, a refused signature,
 * an unsupported version) cannot be signed, and a 5xx may come from a proxy in front of it: these are
 * read unsigned, but only as refusals — nothing in them is ever applied. Every other answer must carry
 * the hall's signature (docs/sync-protocol.md, 1.1).
 */
export const mayBeUnsigned = (status: number): boolean =>
  status === 400 || status === 401 || status === 426 || status >= 500;

/** A hall URL as a base for relative paths: with a trailing slash, so a path prefix is kept. */
export const normaliseBase = (url: string): string => (url.endsWith('/') ? url : `${url}/`);

/** A refusal from its status and error body (`errorResponse`: an unknown code stays a string). */
export function hallError(status: number, body: unknown, retryAfterMs: number): SyncError {
  const eb = errorResponse.safeParse(body);
  return {
    kind: 'http',
    status,
    error: eb.success ? eb.data.error : 'error',
    message: eb.success ? (eb.data.message ?? '') : '',
    retryAfterMs,
  };
}

/** An answer read with the contract's schema; anything else is a `protocol` failure. */
export function parseReply<T>(schema: z.ZodType<T>, reply: Reply, what: string): Synced<T> {
  const p = schema.safeParse(reply.body);
  return p.success ? ok(p.data) : err({ kind: 'protocol', message: `malformed ${what} answer` });
}

export function createTransport(deps: {
  hallUrl: string;
  credentials: Credentials;
  clock: () => Date;
  logger: SyncLogger;
  fetch?: FetchFn;
  timeoutMs?: number;
}): Transport {
  const { clock, logger, credentials } = deps;
  // Keep-alive connections, a few at most (hall-endpoint.ts), unless a fetch is handed in.
  const f = deps.fetch ?? keepAliveFetch();
  const base = normaliseBase(deps.hallUrl);
  const timeoutMs = deps.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  /** Hall clock − kiosk clock, learnt from a stale-timestamp refusal (kiosk clocks drift). */
  let clockOffsetMs = 0;

  async function send(method: string, path: string, opts: RequestOptions = {}): Promise<Synced<Reply>> {
    const first = await sendOnce(method, path, opts);
    if (!first.ok || first.value.status !== 401) return first;
    const b = errorResponse.safeParse(first.value.body);
    const hallTime = b.success ? b.data.hallTime : undefined;
    if (!b.success || b.data.error !== 'stale-timestamp' || typeof hallTime !== 'number') return first;
    clockOffsetMs = hallTime - clock().getTime();
    logger.warn({ clockOffsetMs }, 'kiosk clock differs from the hall clock; correcting request timestamps');
    return sendOnce(method, path, opts);
  }

  async function sendOnce(method: string, path: string, opts: RequestOptions): Promise<Synced<Reply>> {
    const body = opts.body ?? new Uint8Array(0);
    const timestamp = String(clock().getTime() + clockOffsetMs);
    const nonce = randomBytes(16).toString('hex');
    const url = new URL(path, base);
    // The request target as sent, including any path prefix of the hall URL.
    const signature = sign(
      credentials.secret,
      signingString(method, `${url.pathname}${url.search}`, timestamp, nonce, body),
    );
    const headers: Record<string, string> = {
      [HEADERS.kioskId]: credentials.kioskId,
      [HEADERS.timestamp]: timestamp,
      [HEADERS.nonce]: nonce,
      [HEADERS.schema]: String(SCHEMA_VERSION),
      [HEADERS.signature]: signature,
      ...(opts.headers ?? {}),
    };
    if (opts.body) headers['content-type'] = opts.contentType ?? 'application/json';
    const timeout = AbortSignal.timeout(opts.timeout ?? timeoutMs);
    try {
      const res = await f(url, {
        method,
        headers,
        ...(opts.body ? { body: new Uint8Array(opts.body) } : {}),
        signal: opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout,
      });
      const bytes = method === 'HEAD' ? new Uint8Array(0) : new Uint8Array(await res.arrayBuffer());
      const signature = res.headers.get(HEADERS.answerSignature);
      const signed = verifyAnswer(credentials.secret, nonce, res.status, bytes, signature);
      const refusalOnly = mayBeUnsigned(res.status) || (opts.unsignedRefusals ?? []).includes(res.status);
      if (!signed && (signature !== null || !refusalOnly)) {
        // Audit: a changed or forged answer is a security event, not a glitch (docs/security.md).
        logger.error(
          {
            method,
            path: url.pathname,
            status: res.status,
            signature: signature === null ? 'missing' : 'bad',
          },
          'hall answer refused: not signed by the hall (changed or forged on the way); nothing applied',
        );
        return err({
          kind: 'untrusted-answer',
          message: `${method} /${path}: ${res.status} answer ${signature === null ? 'not signed' : 'with a bad signature'}`,
        });
      }
      const text = Buffer.from(bytes).toString('utf8');
      let parsed: unknown = null;
      if (text.length > 0) {
        try {
          parsed = JSON.parse(text) as unknown;
        } catch {
          return err({ kind: 'protocol', message: `${method} /${path}: answer is not JSON (${res.status})` });
        }
      }
      return ok({ status: res.status, headers: res.headers, body: parsed });
    } catch (e) {
      const cause = (e as { cause?: { code?: string; message?: string } }).cause;
      return err({
        kind: 'network',
        message: `${method} /${path}: ${cause?.code ?? cause?.message ?? (e as Error).message}`,
      });
    }
  }

  return {
    send,
    httpError: (r) => hallError(r.status, r.body, parseRetryAfter(r.headers.get('retry-after'), clock())),
    timeoutMs,
  };
}
