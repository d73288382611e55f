/**
 * The hall's gate (docs/security.md, "The hall as an Internet-facing service"): what is decided from
 * a request's line and headers alone, in fastify's `onRequest`, BEFORE any byte of its body is read —
 * - an address with too many failed enrolments or staff sign-ins in the window → 429 `rate-limited`;
 * - a kiosk route without the schema header, the four well-formed signature headers, a fresh
 *   timestamp or a known kiosk id → the answer authenticate() would give later, in the same order
 *   (docs/sync-protocol.md, 1), without buffering the body first: an anonymous 16 MiB body costs
 *   the hall nothing;
 * - then a body declared larger than its route allows → 413 `too-large` (and the route's fastify
 *   bodyLimit stops a chunked body at the same size while it streams).
 * The signature itself (which covers the body's hash) is verified after the body, by authenticate().
 * A refusal closes the connection, so an unread body is never drained. Every answer carries
 * `x-content-type-options: nosniff`, and refused signatures, sign-ins and throttles are logged
 * (address, route, error code; never a token, secret or body).
 */
import type { FastifyBaseLogger, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { HEADERS } from '../shared/wire/index.js';
import { hallError, type HttpAnswer } from './answers.js';
import { bodyLimitFor, type AttemptThrottle } from './limits.js';
import type { RequestHeaders } from './kiosk-access.js';

export type GateLogger = Pick<FastifyBaseLogger, 'warn'>;

export type GateDeps = {
  /**
   * Whether a kiosk id is enrolled (a cheap primary-key lookup; the row is kept for this request's
   * signature check, keyed by its headers).
   */
  isKnownKiosk(id: string, headers: RequestHeaders): Promise<boolean>;
  /**
   * Steps 1–3 of docs/sync-protocol.md section 1 (schema version, the signature headers and their
   * form, the timestamp's freshness): the refusal, or null. The same function authenticate() runs.
   */
  checkHeaders(headers: RequestHeaders): HttpAnswer | null;
  throttles: { enroll: AttemptThrottle; staff: AttemptThrottle };
  log: GateLogger;
};

type RouteKind = 'enroll' | 'staff' | 'kiosk' | 'open';

/** Which rules a route falls under, by its fastify pattern: kiosk-signed unless listed otherwise. */
export function routeKind(url: string | undefined): RouteKind {
  if (url === undefined) return 'open'; // 404: nothing is read.
  if (url === '/v1/enroll') return 'enroll';
  if (url.startsWith('/v1/staff/')) return 'staff';
  if (url.startsWith('/v1/') && url !== '/v1/info') return 'kiosk';
  if (url.startsWith('/v2/')) return 'kiosk'; // batch sync (docs/sync-protocol.md, 5e)
  return 'open';
}

const one = (h: RequestHeaders, name: string): string | undefined => {
  const v = h[name];
  return typeof v === 'string' && v.length > 0 ? v : undefined;
};

const errorCodeOf = (payload: unknown): string | undefined =>
  typeof payload === 'string' ? /^\{"error":"([a-z-]+)"/.exec(payload)?.[1] : undefined;

export function installGate(app: FastifyInstance, deps: GateDeps): void {
  const { throttles, log } = deps;

  // Per-route limits for bodies without a Content-Length (chunked): fastify stops reading at it.
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    route.bodyLimit = Math.max(...methods.map((m) => bodyLimitFor(m, route.url ?? '')));
  });

  const refuse = (reply: FastifyReply, a: HttpAnswer) => {
    if (a.headers) void reply.headers(a.headers);
    return reply.code(a.status).header('connection', 'close').send(a.body);
  };

  app.addHook('onRequest', async (req: FastifyRequest, reply: FastifyReply) => {
    void reply.header('x-content-type-options', 'nosniff');
    const url = req.routeOptions.url;
    const kind = routeKind(url);
    if (kind === 'enroll' || kind === 'staff') {
      const wait = throttles[kind].blockedForMs(req.ip);
      if (wait > 0) {
        log.warn({ ip: req.ip, route: url }, `hall: ${kind} attempts throttled`);
        // An async hook answers early by returning the reply it sent.
        return refuse(reply, {
          ...hallError(429, 'rate-limited', 'too many failed attempts from this address; try again later'),
          headers: { 'retry-after': String(Math.ceil(wait / 1000)) },
        });
      }
    }
    if (kind === 'kiosk') {
      // In the documented order: headers and freshness (steps 1–3) before the kiosk id (step 4).
      const refused = deps.checkHeaders(req.headers);
      if (refused) return refuse(reply, refused);
      const kioskId = one(req.headers, HEADERS.kioskId);
      if (kioskId === undefined || !(await deps.isKnownKiosk(kioskId, req.headers)))
        return refuse(reply, hallError(401, 'unknown-kiosk', 'unknown kiosk'));
    }
    // Then the size the request declares (a kiosk's own body may still be too large).
    const declared = Number(req.headers['content-length'] ?? '0');
    const limit = bodyLimitFor(req.method, url ?? '');
    if (!Number.isSafeInteger(declared) || declared > limit) {
      log.warn({ ip: req.ip, route: url, declared, limit }, 'hall: body over the route limit refused');
      return refuse(reply, hallError(413, 'too-large', `this request's body may be at most ${limit} bytes`));
    }
    return undefined;
  });

  // Failed attempts are counted and refusals logged from the answer actually sent.
  app.addHook('onSend', (req, reply, payload, done) => {
    const status = reply.statusCode;
    if (status < 400) return done(null, payload);
    const kind = routeKind(req.routeOptions.url);
    const error = errorCodeOf(payload);
    const at = { ip: req.ip, route: req.routeOptions.url, status, error };
    if (kind === 'enroll' && status === 403) {
      const n = throttles.enroll.fail(req.ip);
      log.warn({ ...at, failures: n }, 'hall: enrolment refused');
    } else if (kind === 'staff' && status === 401 && req.headers.authorization !== undefined) {
      // Guessed bearer tokens only: failed logins have their own per-name and per-address lock-out
      // (accounts.ts), and a desk whose session ended is not guessing anything.
      const n = throttles.staff.fail(req.ip);
      log.warn({ ...at, failures: n }, 'hall: staff sign-in refused');
    } else if (kind === 'kiosk' && status === 401) {
      log.warn({ ...at, kioskId: one(req.headers, HEADERS.kioskId) }, 'hall: kiosk signature refused');
    }
    done(null, payload);
  });
}
