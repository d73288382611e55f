/**
 * Staff actions on a case (docs/contract.md, "Case statuses", staff actions): 受理 (accept), 不予受理 (refuse, with
 * a reason), 补齐补正 (request-correction, with the missing materials), 办结 (complete, with the result
 * and the EMS tracking number when delivered). The staff desk sends them, the hall validates them
 * with this schema, and each becomes the `case-status` document the submitting kiosk pulls.
 */
import { z } from 'zod';
import { CASE_LIGHTS, CASE_TRANSITIONS, type CaseLight, type StaffCaseAction } from '../case-status.js';
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

/** POST /v1/staff/login: an account's login name and password (docs/sync-protocol.md, 8.11). */
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

// ---- the case list (GET /v1/staff/case-list; docs/sync-protocol.md, "8.12 Case list") -----------------

export { CASE_LIGHTS, type CaseLight } from '../case-status.js';
/** How a search term is matched: each an exact match on a keyed hash (never a substring). */
export const CASE_SEARCH_KINDS = ['receipt', 'name', 'id', 'phone'] as const;
export type CaseSearchKind = (typeof CASE_SEARCH_KINDS)[number];
export const CASE_LIST_MAX = 100;
export const CASE_LIST_DEFAULT = 50;

const listOf = <T extends string>(values: readonly [T, ...T[]]) =>
  z
    .string()
    .max(400)
    .transform((s) => s.split(',').filter((v) => v !== ''))
    .pipe(z.array(z.enum(values)).max(20));
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD');

/** The query string of GET /v1/staff/case-list; every part optional. */
export const caseListQuerySchema = z.object({
  /** A 受理编号, a name, an ID number or a phone number; `by` says which, else it is told by its form. */
  q: z.string().trim().max(64).optional(),
  by: z.enum(CASE_SEARCH_KINDS).optional(),
  /** Comma-separated statuses; absent: every open status (closed cases only when asked for). */
  status: z.string().max(400).optional(),
  window: z.string().min(1).max(16).optional(),
  item: z.string().min(1).max(64).optional(),
  light: listOf(CASE_LIGHTS as unknown as readonly [CaseLight, ...CaseLight[]]).optional(),
  /** Received on or after / on or before these days (the hall's time zone). */
  from: day.optional(),
  to: day.optional(),
  sort: z.enum(['received', 'promised']).default('received'),
  dir: z.enum(['asc', 'desc']).default('desc'),
  view: z.enum(['all', 'mine', 'unassigned']).default('all'),
  cursor: z.string().max(300).optional(),
  limit: z.coerce.number().int().min(1).max(CASE_LIST_MAX).default(CASE_LIST_DEFAULT),
});
export type CaseListQuery = z.infer<typeof caseListQuerySchema>;

/** Cases per page of the paged 电子监察 report (GET /v1/staff/supervision?limit=). */
export const SUPERVISION_PAGE_DEFAULT = 100;
export const SUPERVISION_PAGE_MAX = 1000;
/**
 * GET /v1/staff/supervision: with none of these, the full report (every case); with any, one page of
 * it in the order received — `open=1` only the open cases — and the `next` cursor.
 */
export const supervisionQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(SUPERVISION_PAGE_MAX).optional(),
  cursor: z.string().max(300).optional(),
  open: z.enum(['0', '1']).optional(),
});
export type SupervisionQuery = z.infer<typeof supervisionQuerySchema>;
/** The query as the desk builds it (before the schema's defaults). */
export type CaseListQueryInput = z.input<typeof caseListQuerySchema>;

type Named = { zh: string; en: string };

/** One row of the case list. Personal data masked (张*三); nothing else of the applicant. */
export type CaseListRow = {
  id: string;
  /** 受理编号, as on the resident's receipt; null when the stored payload does not parse. */
  receiptNo: string | null;
  applicant: string | null;
  itemCode: string;
  itemName: Named | null;
  window: string | null;
  windowName: Named | null;
  caseType: 'immediate' | 'promised' | null;
  status: string;
  receivedAt: string;
  /** The promised day with 补正 pauses added (YYYY-MM-DD); null while paused or unknown. */
  deadline: string | null;
  light: CaseLight;
  kioskId: string;
  /** Whose staff action came first; null: nobody has acted yet. */
  assignedTo: string | null;
};

/**
 * GET /v1/staff/case-list/summary: the 电子监察 tiles above the case list — how many open cases of
 * the account's jurisdictions have each light (the list's light rule; closed cases are not counted)
 * — and the hall's time zone. Counted on the list's columns, so it stays fast with many cases (the
 * full GET /v1/staff/supervision report evaluates and sends every case).
 */
export type CaseListSummary = {
  timeZone: string;
  summary: Record<CaseLight, number>;
};

export type CaseListPage = {
  rows: CaseListRow[];
  /** The cursor of the next page; null on the last one. Stable across new cases arriving. */
  next: string | null;
  /** What the search term was taken as, when there was one. */
  searchedBy: CaseSearchKind | null;
  /** The windows and items the filters offer (from the hall's catalog). */
  choices: {
    windows: { code: string; name: Named }[];
    items: { code: string; name: Named; window: string }[];
  };
};

/** The body of POST /v1/staff/cases/{id}/reveal: the full personal data, shown on request, audited. */
export type CaseReveal = {
  applicant: { name: string; idNumber: string } | null;
  helper: { name: string; idNumber: string } | null;
  phones: string[];
};
