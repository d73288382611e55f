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
import { request as httpsRequest, Agent } from 'node:https';
import type { IncomingHttpHeaders } from 'node:http';
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
 * A `fetch` that trusts only `ca` (PEM: the hall's CA or its own certificate) for https addresses.
 * Failures reject as fetch does (a TypeError whose cause carries the TLS error code).
 */
export function pinnedFetch(ca: string): FetchFn {
  const agent = new Agent({ ca, keepAlive: true, maxCachedSessions: 10 });
  return (input, init) =>
    new Promise<Response>((resolve, reject) => {
      const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
      if (url.protocol !== 'https:') {
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
      const req = httpsRequest(url, { method: init?.method ?? 'GET', headers, agent, signal }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', (e) => reject(new TypeError('fetch failed', { cause: e })));
        res.on('end', () => {
          const status = res.statusCode ?? 500;
          const bytes = Buffer.concat(chunks);
          const empty = bytes.length === 0 || status === 204 || status === 304;
          resolve(new Response(empty ? null : bytes, { status, headers: headersOf(res.headers) }));
        });
      });
      req.on('error', (e) =>
        reject(signal?.aborted ? (signal.reason as Error) : new TypeError('fetch failed', { cause: e })),
      );
      if (body instanceof Uint8Array || typeof body === 'string') req.end(body);
      else req.end();
    });
}
