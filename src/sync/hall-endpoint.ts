/**
 * Which hall the kiosk talks to, and how (docs/security.md, "Transport and enrolment"):
 *
 * - The address comes from the configuration file (`hall.url` / KIOSK_HALL_URL), never typed at the
 *   kiosk. A production kiosk refuses a plain `http://` hall unless it is on this machine (loopback: a
 *   TLS proxy beside the kiosk, or a test).
 * - With `hall.ca` (KIOSK_HALL_CA) set, the hall's certificate must chain to that CA (or be that
 *   self-signed certificate) and nothing else: the system's trust store is not consulted, so a
 *   certificate from any other authority is refused.
 */
import { request as httpsRequest, Agent as HttpsAgent } from 'node:https';
import {
  request as httpRequest,
  Agent as HttpAgent,
  type IncomingHttpHeaders,
  type IncomingMessage,
} from 'node:http';
import { isIP } from 'node:net';
import { err, ok, type Result } from '../shared/result.js';
import type { FetchFn } from './transport.js';

const isLoopback = (hostname: string): boolean => {
  const h = hostname.replace(/^\[|\]$/g, '');
  if (h === 'localhost' || h === '::1') return true;
  return isIP(h) === 4 && h.startsWith('127.');
};

/** The hall URL if this kiosk may use it, else what is wrong with it (a technician reads it). */
export function checkHallUrl(url: string, mode: 'production' | 'development'): Result<URL, string> {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return err(`hall.url is not a URL: "${url}"`);
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:')
    return err(`hall.url must be an https:// address, got "${u.protocol}"`);
  if (mode === 'production' && u.protocol === 'http:' && !isLoopback(u.hostname))
    return err(
      `a production kiosk refuses the unencrypted hall address ${u.origin}: use https:// (with hall.ca) or a TLS proxy on this machine`,
    );
  return ok(u);
}

const headersOf = (h: IncomingHttpHeaders): Headers => {
  const out = new Headers();
  for (const [k, v] of Object.entries(h)) {
    if (v === undefined) continue;
    for (const one of Array.isArray(v) ? v : [v]) out.append(k, one);
  }
  return out;
};

/**
 * At most this many connections to the hall at once (docs/sync-protocol.md, 5e.5): the sync cycle,
 * the long-poll and a resident-facing call (licences, a ticket) — a small number in flight.
 */
export const HALL_MAX_SOCKETS = 4;

/**
 * A `fetch` over keep-alive connections (node:http / node:https Agent): a sync cycle reuses one
 * connection instead of opening one per request (the platform fetch closed the socket after each
 * blob HEAD: 302 connections for 300 applications, issue #11). With `ca` it trusts only that CA (or
 * that self-signed certificate) and refuses plain http. Failures reject as fetch does (a TypeError
 * whose cause carries the error code).
 */
export function keepAliveFetch(opts: { ca?: string; maxSockets?: number } = {}): FetchFn {
  const maxSockets = opts.maxSockets ?? HALL_MAX_SOCKETS;
  const tlsAgent = new HttpsAgent({
    ...(opts.ca !== undefined ? { ca: opts.ca } : {}),
    keepAlive: true,
    maxSockets,
    maxCachedSessions: 10,
  });
  const plainAgent = new HttpAgent({ keepAlive: true, maxSockets });
  return (input, init) =>
    new Promise<Response>((resolve, reject) => {
      const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
      if (url.protocol !== 'https:' && opts.ca !== undefined) {
        reject(
          new TypeError('fetch failed', { cause: { code: 'HALL_CA_NEEDS_HTTPS', message: url.origin } }),
        );
        return;
      }
      const signal = init?.signal ?? undefined;
      const headers: Record<string, string> = {};
      new Headers(init?.headers).forEach((v, k) => {
        headers[k] = v;
      });
      const body = init?.body;
      const options = { method: init?.method ?? 'GET', headers, signal };
      const onAnswer = (res: IncomingMessage) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', (e) => reject(new TypeError('fetch failed', { cause: e })));
        res.on('end', () => {
          const status = res.statusCode ?? 500;
          const bytes = Buffer.concat(chunks);
          const empty = bytes.length === 0 || status === 204 || status === 304;
          resolve(new Response(empty ? null : bytes, { status, headers: headersOf(res.headers) }));
        });
      };
      const req =
        url.protocol === 'https:'
          ? httpsRequest(url, { ...options, agent: tlsAgent }, onAnswer)
          : httpRequest(url, { ...options, agent: plainAgent }, onAnswer);
      req.on('error', (e) =>
        reject(signal?.aborted ? (signal.reason as Error) : new TypeError('fetch failed', { cause: e })),
      );
      if (body instanceof Uint8Array || typeof body === 'string') req.end(body);
      else req.end();
    });
}

/** A keep-alive `fetch` that trusts only `ca` (PEM: the hall's CA or its own certificate), https only. */
export const pinnedFetch = (ca: string): FetchFn => keepAliveFetch({ ca });
