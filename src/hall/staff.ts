/**
 * Staff actions on cases (issue 5): accept (受理), refuse (不予受理, with a reason), request
 * correction (补齐补正, with the missing materials), complete (办结, with the result and the EMS
 * tracking number when delivered). Staff hold a bearer token bound to one jurisdiction and see and
 * act only on that jurisdiction's cases (属地审批). Each action is recorded and flows back to the
 * submitting kiosk as a `case-status` change, in one transaction.
 */
import { randomBytes } from 'node:crypto';
import { CASE_TRANSITIONS, isHallCaseStatus, type HallCaseStatus } from '../shared/case-status.js';
import {
  caseStatusFromAction,
  describeIssues,
  staffActionSchema,
  type StaffAction,
} from '../shared/wire/index.js';
import { sha256Hex } from './auth.js';
import type { HallService, HttpAnswer } from './service.js';
import type { HallDb } from './store/index.js';

/** A staff token's holder; also the body of GET /v1/staff/me. */
export type Staff = { name: string; jurisdiction: string };

export { staffActionSchema, type StaffAction };

/** One row of GET /v1/staff/cases (docs/sync-protocol.md, section 8); the staff page reads it. */
export type StaffCaseSummary = {
  id: string;
  kioskId: string;
  itemCode: string;
  status: HallCaseStatus;
  receivedAt: string;
  updatedAt: string;
};
export type StaffCaseList = { jurisdiction: string; cases: StaffCaseSummary[] };
/** The body of a successful POST /v1/staff/cases/{id}/actions. */
export type StaffActionDone = { id: string; status: HallCaseStatus; position: number };
/** The body of a refused staff request (404, 409 with `from`, 400 …). */
export type StaffApiError = { error: string; message: string; from?: string };

export function createStaffDesk(deps: { db: HallDb; service: HallService; clock: () => Date }) {
  const { db, service, clock } = deps;
  const q = {
    insToken: db.prepare(
      'INSERT INTO staff_tokens (token_hash, name, jurisdiction, created_at) VALUES (?, ?, ?, ?)',
    ),
    token: db.prepare(
      'SELECT name, jurisdiction FROM staff_tokens WHERE token_hash = ? AND revoked_at IS NULL',
    ),
    cases: db.prepare(
      `SELECT id, kiosk_id AS kioskId, item_code AS itemCode, status, received_at AS receivedAt, updated_at AS updatedAt
       FROM applications WHERE jurisdiction = ? AND (? IS NULL OR status = ?) ORDER BY received_at, id`,
    ),
    app: db.prepare('SELECT id, jurisdiction, status FROM applications WHERE id = ?'),
    event: db.prepare(
      'INSERT INTO case_events (application_id, at, staff, action, from_status, to_status, detail) VALUES (?, ?, ?, ?, ?, ?, ?)',
    ),
  };

  function createToken(name: string, jurisdiction: string): string {
    const token = randomBytes(32).toString('base64url');
    q.insToken.run(sha256Hex(token), name, jurisdiction, clock().toISOString());
    return token;
  }

  function authenticate(authorization: string | undefined): Staff | null {
    const m = /^Bearer ([A-Za-z0-9_-]{20,200})$/.exec(authorization ?? '');
    if (!m?.[1]) return null;
    return (q.token.get(sha256Hex(m[1])) as Staff | undefined) ?? null;
  }

  function listCases(staff: Staff, status?: string): HttpAnswer {
    return {
      status: 200,
      body: {
        jurisdiction: staff.jurisdiction,
        cases: q.cases.all(staff.jurisdiction, status ?? null, status ?? null) as StaffCaseSummary[],
      } satisfies StaffCaseList,
    };
  }

  const act = (staff: Staff, applicationId: string, raw: unknown): HttpAnswer => {
    const parsed = staffActionSchema.safeParse(raw);
    if (!parsed.success) {
      return { status: 400, body: { error: 'bad-request', message: describeIssues(parsed.error) } };
    }
    const action = parsed.data;
    return db
      .transaction((): HttpAnswer => {
        const app = q.app.get(applicationId) as
          { id: string; jurisdiction: string; status: string } | undefined;
        // Another jurisdiction's case does not exist for this staff member.
        if (!app || app.jurisdiction !== staff.jurisdiction)
          return { status: 404, body: { error: 'not-found', message: 'no such case in your jurisdiction' } };
        const t = CASE_TRANSITIONS[action.action];
        const from = app.status;
        if (!isHallCaseStatus(from) || !(t.from as readonly string[]).includes(from)) {
          return {
            status: 409,
            body: {
              error: 'invalid-transition',
              message: `cannot ${action.action} a case that is ${app.status}`,
              from: app.status,
            },
          };
        }
        const { action: name, ...detail } = action;
        const at = clock().toISOString();
        q.event.run(app.id, at, staff.name, name, from, t.to, JSON.stringify(detail));
        const r = service.setCaseStatus(app.id, caseStatusFromAction(action, at));
        if (!r.ok) return { status: 404, body: { error: 'not-found', message: 'no such case' } };
        return {
          status: 200,
          body: { id: app.id, status: t.to, position: r.change.position } satisfies StaffActionDone,
        };
      })
      .immediate();
  };

  return { createToken, authenticate, listCases, act };
}

export type StaffDesk = ReturnType<typeof createStaffDesk>;
