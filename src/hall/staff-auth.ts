/**
 * The one gate in front of every staff route (docs/sync-protocol.md, 8 "Staff API"): who is asking
 * (a staff bearer token today; signed-in accounts with roles add to this), and whether their roles
 * allow the route's permission (src/shared/staff-roles.ts). Routes call it first and stop when it
 * answers null: it has then already sent 401 (nobody) or 403 `forbidden` (a role that may not).
 * Jurisdiction checks stay with each service (a case of another jurisdiction is 404, not 403, so
 * its existence is not told).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { staffMay, type StaffPermission } from '../shared/staff-roles.js';
import { forbidden, staffUnauthenticated, type HttpAnswer } from './answers.js';
import type { Staff, StaffDesk } from './staff.js';

export type StaffAuth = (
  req: FastifyRequest,
  reply: FastifyReply,
  permission?: StaffPermission,
) => Staff | null;

export function createStaffAuth(deps: {
  staff: Pick<StaffDesk, 'authenticate'>;
  send: (reply: FastifyReply, a: HttpAnswer) => unknown;
}): StaffAuth {
  return (req, reply, permission) => {
    const who = deps.staff.authenticate(req.headers.authorization);
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
