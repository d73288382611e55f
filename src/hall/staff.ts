/**
 * Staff actions on cases (docs/sync-protocol.md, 8 "Staff API"): accept (受理), refuse (不予受理, with a reason),
 * request correction (补齐补正, with the missing materials), complete (办结, with the result and the EMS
 * tracking number when delivered). Staff hold a bearer token bound to one jurisdiction and see and
 * act only on that jurisdiction's cases (属地审批). Each action is recorded and flows back to the
 * submitting kiosk as a `case-status` change, in one transaction.
 */
import { randomBytes } from 'node:crypto';
import { CASE_TRANSITIONS, type HallCaseStatus } from '../shared/case-status.js';
import { CASE_ACTION_PERMISSION, staffMay, type StaffRole } from '../shared/staff-roles.js';
import {
  caseStatusFromAction,
  describeIssues,
  staffActionSchema,
  type StaffAction,
} from '../shared/wire/index.js';
import { badRequest, forbidden, hallError, notFound, type HttpAnswer } from './answers.js';
import { createAudit, type Audit } from './audit.js';
import { sha256Hex } from './auth.js';
import type { HallService } from './service.js';
import { DEFAULT_HALL_LIMITS } from './limits.js';
import {
  createCaseStore,
  createStaffStore,
  hallSqlOf,
  type HallDatabase,
  type StaffMember,
} from './store/index.js';

/**
 * Who is making a staff request: a staff bearer token's holder (a machine client bound to one
 * jurisdiction, `roles` undefined: every case and desk action, as tokens always could) or a signed-in
 * account (its roles; src/shared/staff-roles.ts). `jurisdiction` is the first of `jurisdictions`.
 */
export type Staff = StaffMember & {
  jurisdictions: readonly string[];
  roles?: readonly StaffRole[];
  /**
   * A signed-in account's login name (the audit log's actor) and display name (its `name`, as the
   * case history and a resident on a help call read it; src/hall/accounts.ts).
   */
  login?: string;
  displayName?: string;
};

/** Whether a case of this jurisdiction is one this staff member may see (属地审批). */
export const staffCovers = (who: Staff, jurisdiction: string): boolean =>
  who.jurisdictions.includes(jurisdiction);

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

/** A staff token as `hall staff list` shows it (never the token itself). */
export type StaffTokenInfo = {
  id: string;
  name: string;
  jurisdiction: string;
  createdAt: string;
  expiresAt: string;
  state: 'active' | 'expired' | 'revoked';
};
export type RevokeResult =
  { ok: true } | { ok: false; error: 'not-found' | 'ambiguous' | 'bad-id' | 'already-revoked' };

export function createStaffDesk(deps: {
  db: HallDatabase;
  service: HallService;
  clock: () => Date;
  /** Hours a token is accepted after its creation (HALL_STAFF_TOKEN_HOURS). */
  tokenHours?: number;
  /** Where actions are written (the server's one audit log; a CLI gets its own on the same db). */
  audit?: Audit;
}) {
  const { db, service, clock } = deps;
  const tokenMs = (deps.tokenHours ?? DEFAULT_HALL_LIMITS.staffTokenHours) * 3600_000;
  const sql = hallSqlOf(db);
  const staffStore = createStaffStore(sql);
  const cases = createCaseStore(sql);
  const audit = deps.audit ?? createAudit({ db, clock });

  async function createToken(name: string, jurisdiction: string): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    await staffStore.addToken({ tokenHash: sha256Hex(token), name, jurisdiction, at: clock().toISOString() });
    return token;
  }

  async function authenticate(authorization: string | undefined): Promise<Staff | null> {
    const m = /^Bearer ([A-Za-z0-9_-]{20,200})$/.exec(authorization ?? '');
    if (!m?.[1]) return null;
    const createdAfter = new Date(clock().getTime() - tokenMs).toISOString();
    const member = await staffStore.byTokenHash(sha256Hex(m[1]), createdAfter);
    return member ? { ...member, jurisdictions: [member.jurisdiction] } : null;
  }

  async function listTokens(): Promise<StaffTokenInfo[]> {
    const now = clock().getTime();
    return (await staffStore.list()).map((t) => {
      const expires = Date.parse(t.createdAt) + tokenMs;
      return {
        id: t.id,
        name: t.name,
        jurisdiction: t.jurisdiction,
        createdAt: t.createdAt,
        expiresAt: new Date(expires).toISOString(),
        state: t.revokedAt !== null ? 'revoked' : expires <= now ? 'expired' : 'active',
      };
    });
  }

  /** Revokes one token by its id (as listed): it is refused from the next request on. */
  async function revokeToken(id: string): Promise<RevokeResult> {
    if (!/^[0-9a-f]{12}$/.test(id)) return { ok: false, error: 'bad-id' };
    const n = await staffStore.countById(id);
    if (n === 0) return { ok: false, error: 'not-found' };
    if (n > 1) return { ok: false, error: 'ambiguous' };
    return (await staffStore.revoke(id, clock().toISOString()))
      ? { ok: true }
      : { ok: false, error: 'already-revoked' };
  }

  async function listCases(staff: Staff, status?: string): Promise<HttpAnswer> {
    // Every jurisdiction the staff member is bound to (属地审批 across an account's jurisdictions),
    // merged in the order received; `jurisdiction` stays the first for older readers.
    const perJurisdiction: Awaited<ReturnType<typeof cases.summaries>>[] = [];
    for (const j of new Set(staff.jurisdictions))
      perJurisdiction.push(await cases.summaries(j, status ?? null));
    const rows = perJurisdiction
      .flat()
      .sort((a, b) => (a.receivedAt < b.receivedAt ? -1 : a.receivedAt > b.receivedAt ? 1 : 0));
    return {
      status: 200,
      body: {
        jurisdiction: staff.jurisdiction,
        cases: rows.map((c): StaffCaseSummary => ({
          id: c.id,
          kioskId: c.kioskId,
          itemCode: c.itemCode,
          status: c.status,
          receivedAt: c.receivedAt,
          updatedAt: c.updatedAt,
        })),
      } satisfies StaffCaseList,
    };
  }

  /** Applies a staff action; `address` (the request's) goes into the audit log with it. */
  const act = async (
    staff: Staff,
    applicationId: string,
    raw: unknown,
    address?: string,
  ): Promise<HttpAnswer> => {
    const parsed = staffActionSchema.safeParse(raw);
    if (!parsed.success) return badRequest(describeIssues(parsed.error));
    const action = parsed.data;
    const permission = CASE_ACTION_PERMISSION[action.action];
    if (!staffMay(staff, permission)) return forbidden(`this account may not do ${permission}`);
    // The live desk hears of the status move once this transaction has committed (sql.afterCommit).
    return sql.transaction(async (): Promise<HttpAnswer> => {
      const app = await cases.summary(applicationId);
      // Another jurisdiction's case does not exist for this staff member.
      if (!app || !staffCovers(staff, app.jurisdiction)) return notFound('no such case in your jurisdiction');
      const t = CASE_TRANSITIONS[action.action];
      const from = app.status;
      if (!(t.from as readonly HallCaseStatus[]).includes(from)) {
        return hallError(409, 'invalid-transition', `cannot ${action.action} a case that is ${app.status}`, {
          from: app.status,
        });
      }
      const { action: name, ...detail } = action;
      const at = clock().toISOString();
      await cases.addEvent({
        applicationId: app.id,
        at,
        staff: staff.name,
        action: name,
        from,
        to: t.to,
        detail,
      });
      const r = await service.setCaseStatus(app.id, caseStatusFromAction(action, at));
      if (!r.ok) return notFound('no such case');
      // In the action's transaction: the action and its audit line are kept together or not at all.
      await audit.record({
        // An account by its (unique) login name; a token by its holder's name.
        actor: staff.login ?? staff.name,
        action: permission,
        jurisdiction: app.jurisdiction,
        caseId: app.id,
        address: address ?? null,
        detail: { from, to: t.to },
      });
      return {
        status: 200,
        body: { id: app.id, status: t.to, position: r.change.position } satisfies StaffActionDone,
      };
    });
  };

  return { createToken, authenticate, listTokens, revokeToken, listCases, act };
}

export type StaffDesk = ReturnType<typeof createStaffDesk>;
