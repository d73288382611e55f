/**
 * Staff actions on a case (docs/contract.md, "Case statuses", staff actions): 受理 (accept), 不予受理 (refuse, with
 * a reason), 补齐补正 (request-correction, with the missing materials), 办结 (complete, with the result
 * and the EMS tracking number when delivered). The staff desk sends them, the hall validates them
 * with this schema, and each becomes the `case-status` document the submitting kiosk pulls.
 */
import { z } from 'zod';
import { CASE_TRANSITIONS, type StaffCaseAction } from '../case-status.js';
import type { StaffRole } from '../staff-roles.js';
import type { CaseStatusData } from './documents.js';

export const staffActionSchema = z.discriminatedUnion('action', [
  z.object({ action: z.literal('accept'), note: z.string().trim().max(500).optional() }),
  z.object({ action: z.literal('refuse'), reason: z.string().trim().min(1).max(500) }),
  z.object({
    action: z.literal('request-correction'),
    materials: z.array(z.string().min(1).max(64)).min(1).max(50),
    note: z.string().trim().max(500).optional(),
  }),
  z.object({
    action: z.literal('complete'),
    result: z.string().trim().min(1).max(500),
    trackingNumber: z.string().trim().min(1).max(64).optional(),
  }),
]);
export type StaffAction = z.infer<typeof staffActionSchema>;

// The schema and the lifecycle name the same actions.
const sameActions: Record<StaffCaseAction, StaffAction['action']> = {
  accept: 'accept',
  refuse: 'refuse',
  'request-correction': 'request-correction',
  complete: 'complete',
};
void sameActions;

/** The `case-status` document a staff action sends to the kiosk (what the resident will read). */
export function caseStatusFromAction(action: StaffAction, at: string): CaseStatusData {
  const note = 'note' in action && action.note ? { note: action.note } : {};
  switch (action.action) {
    case 'accept':
      return { status: CASE_TRANSITIONS.accept.to, at, ...note };
    case 'refuse':
      return { status: CASE_TRANSITIONS.refuse.to, at, reason: action.reason };
    case 'request-correction':
      return { status: CASE_TRANSITIONS['request-correction'].to, at, materials: action.materials, ...note };
    case 'complete':
      return {
        status: CASE_TRANSITIONS.complete.to,
        at,
        result: action.result,
        ...(action.trackingNumber ? { trackingNumber: action.trackingNumber } : {}),
      };
    default: {
      const never: never = action;
      return never;
    }
  }
}

/**
 * One line of the staff desk's audit log (GET /v1/staff/audit; src/hall/audit.ts): who did what, when
 * and from where. `detail` holds codes, ids and counts — never personal data.
 */
export type StaffAuditEntry = {
  id: number;
  at: string;
  actor: string;
  action: string;
  jurisdiction: string | null;
  caseId: string | null;
  address: string | null;
  detail: Record<string, string | number | boolean | null>;
};

/** A page of the audit log (GET /v1/staff/audit): newest first; `next` is the `before` of the next page. */
export type StaffAuditPage = { entries: StaffAuditEntry[]; next: number | null };

/** POST /v1/staff/login: an account's login name and password (docs/sync-protocol.md, 8.8). */
export const staffLoginSchema = z.object({
  login: z.string().trim().min(1).max(64),
  password: z.string().min(1).max(1024),
});
export type StaffLogin = z.infer<typeof staffLoginSchema>;

/**
 * Who is signed in (POST /v1/staff/login and GET /v1/staff/me): the desk shows the name and hides
 * what the roles may not do. `login` and `roles` are null for a staff bearer token (a machine
 * client: every case and desk action, as tokens always could). `csrfToken` is the value a cookie
 * session must send in `x-csrf-token` with every POST/PUT/DELETE (null for a bearer token, which
 * needs none); `jurisdiction` is the first of `jurisdictions`.
 */
export type StaffMe = {
  name: string;
  login: string | null;
  roles: StaffRole[] | null;
  jurisdictions: string[];
  jurisdiction: string;
  csrfToken: string | null;
};
