/**
 * The one gate in front of every staff route (docs/sync-protocol.md, 8 "Staff API"): who is asking
 * — a staff bearer token (machine clients) or a signed-in account's session cookie (the desk;
 * accounts.ts) — and whether their roles allow the route's permission (src/shared/staff-roles.ts).
 * Routes call it first and stop when it answers null: it has then already sent 401 (nobody), 403
 * `csrf-refused` (a cookie session's state change without its CSRF token or from another origin) or
 * 403 `forbidden` (a role that may not). Jurisdiction checks stay with each service (a case of
 * another jurisdiction is 404, not 403, so its existence is not told).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { staffMay, type StaffPermission } from '../shared/staff-roles.js';
import { forbidden, hallError, staffUnauthenticated, type HttpAnswer } from './answers.js';
import type { Accounts } from './accounts.js';
import type { Staff, StaffDesk } from './staff.js';

export type StaffAuth = (
  req: FastifyRequest,
  reply: FastifyReply,
  permission?: StaffPermission,
) => Promise<Staff | null>;

/** The session cookie's name: `__Host-` (Secure, no Domain, Path=/) when the hall serves HTTPS. */
export const staffCookieName = (secure: boolean): string => (secure ? '__Host-zizhu_staff' : 'zizhu_staff');

/** The value of one cookie in the request's Cookie header, or undefined. */
export function cookieValue(req: FastifyRequest, name: string): string | undefined {
  const header = req.headers.cookie;
  if (typeof header !== 'string') return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Whether a state-changing request made with a cookie may go on: its `x-csrf-token` is the
 * session's, and its Origin, when the browser sent one, is the hall's own (scheme and host).
 */
export function csrfAllows(
  req: FastifyRequest,
  sessionId: string,
  accounts: Pick<Accounts, 'csrfMatches'>,
): boolean {
  if (!STATE_CHANGING.has(req.method)) return true;
  const sent = req.headers['x-csrf-token'];
  if (!accounts.csrfMatches(sessionId, typeof sent === 'string' ? sent : undefined)) return false;
  const origin = req.headers.origin;
  return origin === undefined || origin === `${req.protocol}://${req.headers.host ?? ''}`;
}

export const csrfRefused = (): HttpAnswer =>
  hallError(403, 'csrf-refused', 'a signed-in change needs the x-csrf-token header from the hall’s own page');

export function createStaffAuth(deps: {
  staff: Pick<StaffDesk, 'authenticate'>;
  /** Signed-in accounts (absent: bearer tokens only). */
  accounts?: Pick<Accounts, 'session' | 'csrfMatches'>;
  cookieName?: string;
  send: (reply: FastifyReply, a: HttpAnswer) => unknown;
}): StaffAuth {
  const cookieName = deps.cookieName ?? staffCookieName(false);
  return async (req, reply, permission) => {
    let who: Staff | null = null;
    // A bearer token is never sent by a browser on its own, so it needs no CSRF token.
    if (req.headers.authorization !== undefined)
      who = await deps.staff.authenticate(req.headers.authorization);
    else if (deps.accounts) {
      const sessionId = cookieValue(req, cookieName);
      who = sessionId === undefined ? null : await deps.accounts.session(sessionId);
      if (who && sessionId !== undefined && !csrfAllows(req, sessionId, deps.accounts)) {
        void deps.send(reply, csrfRefused());
        return null;
      }
    }
    if (!who) {
      void deps.send(reply, staffUnauthenticated());
      return null;
    }
    if (permission !== undefined && !staffMay(who, permission)) {
      void deps.send(reply, forbidden(`this account may not do ${permission}`));
      return null;
    }
    return who;
  };
}
