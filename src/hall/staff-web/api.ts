/**
 * The staff API as the desk calls it (docs/sync-protocol.md, section 8): one function per endpoint,
 * typed with the body types of the hall modules that answer, every failure a value. The desk is
 * signed in by its session cookie (HttpOnly: this script never sees it; `credentials:
 * 'same-origin'`), and every POST carries the session's CSRF token in `x-csrf-token`; a 401 anywhere
 * (the session ended: idle, too old, signed out elsewhere) signs the desk out (`onUnauthenticated`).
 */
import { err, ok, type Result } from '../../shared/result.js';
import type { StaffStats } from '../../shared/wire/desk-reports.js';
import type {
  CaseListPage,
  CaseListSummary,
  CaseReveal,
  StaffAction,
  StaffAuditPage,
  StaffMe,
} from '../../shared/wire/staff.js';
import type { CaseDetail } from '../case-detail.js';
import type { EvaluationExport } from '../evaluation-export.js';
import type { FleetReport } from '../fleet.js';
import type { FollowupAction, FollowupActionDone, FollowupList } from '../followups.js';
import type { StaffActionDone, StaffApiError, StaffCaseList } from '../staff.js';
import type { SupervisionReport } from '../supervision.js';

export type Problem =
  /** Not signed in, or the session ended (idle, too old, signed out, account disabled). */
  | { kind: 'unauthenticated' }
  /** The hall answered with an error (404 another jurisdiction's case, 409 not from this status …). */
  | { kind: 'refused'; status: number; error: StaffApiError | null }
  /** No answer: the hall is down or the network is. */
  | { kind: 'unreachable'; message: string };

export type Answer<T> = Result<T, Problem>;

export type StaffApiDeps = {
  /** The session's CSRF token (from the login or /me answer), sent with every POST. */
  csrf: () => string | null;
  onUnauthenticated: () => void;
  fetch: typeof fetch;
};

type Reply = { status: number; body: unknown } | { unreachable: string };

async function send(
  fetchFn: typeof fetch,
  csrf: string | null,
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
): Promise<Reply> {
  try {
    const res = await fetchFn(path, {
      method,
      credentials: 'same-origin',
      headers: {
        ...(method === 'POST' && csrf !== null ? { 'x-csrf-token': csrf } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    let data: unknown = null;
    try {
      data = await res.json();
    } catch {
      data = null;
    }
    return { status: res.status, body: data };
  } catch (e) {
    return { unreachable: e instanceof Error ? e.message : String(e) };
  }
}

const errorBody = (body: unknown): StaffApiError | null =>
  body !== null && typeof body === 'object' && 'error' in body ? (body as StaffApiError) : null;

export function createStaffApi(deps: StaffApiDeps) {
  async function call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<Answer<T>> {
    const r = await send(deps.fetch, deps.csrf(), method, path, body);
    if ('unreachable' in r) return err({ kind: 'unreachable', message: r.unreachable });
    if (r.status === 401) {
      deps.onUnauthenticated();
      return err({ kind: 'unauthenticated' });
    }
    if (r.status !== 200) return err({ kind: 'refused', status: r.status, error: errorBody(r.body) });
    // The hall's own page on the hall's own origin: a 200 body is the type its module declares.
    return ok(r.body as T);
  }
  /** A call that answers 401 as a value without signing the desk out (sign-in, first look). */
  async function quiet<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<Answer<T>> {
    const r = await send(deps.fetch, deps.csrf(), method, path, body);
    if ('unreachable' in r) return err({ kind: 'unreachable', message: r.unreachable });
    if (r.status === 401 && errorBody(r.body)?.error !== 'bad-credentials')
      return err({ kind: 'unauthenticated' });
    if (r.status !== 200) return err({ kind: 'refused', status: r.status, error: errorBody(r.body) });
    return ok(r.body as T);
  }
  const id = encodeURIComponent;

  return {
    /** Who is signed in (the cookie), with the session's CSRF token; 401 is a value, not a sign-out. */
    me: () => quiet<StaffMe>('GET', '/v1/staff/me'),
    /** Signs in: the hall sets the session cookie and answers who, with the CSRF token. */
    login: (login: string, password: string) =>
      quiet<StaffMe>('POST', '/v1/staff/login', { login, password }),
    logout: () => quiet<{ ok: true }>('POST', '/v1/staff/logout'),
    /** The audit log, newest first; `before` is the previous page's `next`. */
    audit: (before?: number) =>
      call<StaffAuditPage>(
        'GET',
        `/v1/staff/audit?limit=50${before === undefined ? '' : `&before=${before}`}`,
      ),
    cases: () => call<StaffCaseList>('GET', '/v1/staff/cases'),
    supervision: () => call<SupervisionReport>('GET', '/v1/staff/supervision'),
    caseDetail: (caseId: string) => call<CaseDetail>('GET', `/v1/staff/cases/${id(caseId)}`),
    caseAction: (caseId: string, action: StaffAction) =>
      call<StaffActionDone>('POST', `/v1/staff/cases/${id(caseId)}/actions`, action),
    followups: () => call<FollowupList>('GET', '/v1/staff/followups'),
    followupAction: (followupId: number, action: FollowupAction) =>
      call<FollowupActionDone>('POST', `/v1/staff/followups/${followupId}/actions`, action),
    evaluationExport: () => call<EvaluationExport>('GET', '/v1/staff/evaluations/export'),
    fleet: () => call<FleetReport>('GET', '/v1/staff/fleet'),
    // Documents and statistics (reports-view.ts, documents-view.ts): files come back as Blobs.
    stats: (from: string, to: string) =>
      call<StaffStats>('GET', `/v1/staff/stats?from=${id(from)}&to=${id(to)}`),
    file: (path: string) => fileAt(deps, path),
    // The case list, the audited reveal and a case's pages (docs/sync-protocol.md, 8.12).
    caseList: (query: URLSearchParams) =>
      call<CaseListPage>('GET', `/v1/staff/case-list?${query.toString()}`),
    /** The 电子监察 tiles above the list (counted by the hall on the list's columns). */
    caseListSummary: () => call<CaseListSummary>('GET', '/v1/staff/case-list/summary'),
    reveal: (caseId: string) => call<CaseReveal>('POST', `/v1/staff/cases/${id(caseId)}/reveal`),
    /** A scanned page, through the authorised route (each view audited by the hall). */
    document: (caseId: string, sha256: string) =>
      fileAt(deps, `/v1/staff/cases/${id(caseId)}/blobs/${id(sha256)}`),
  };
}

/** A file the desk opens or saves (a PDF, an export), fetched with the desk's credentials. */
async function fileAt(deps: StaffApiDeps, path: string): Promise<Answer<Blob>> {
  try {
    // GET with the session cookie (no CSRF token needed for a read).
    const res = await deps.fetch(path, { credentials: 'same-origin' });
    if (res.status === 401) {
      deps.onUnauthenticated();
      return err({ kind: 'unauthenticated' });
    }
    if (res.status !== 200) {
      const body: unknown = await res.json().catch(() => null);
      return err({ kind: 'refused', status: res.status, error: errorBody(body) });
    }
    return ok(await res.blob());
  } catch (e) {
    return err({ kind: 'unreachable', message: e instanceof Error ? e.message : String(e) });
  }
}

export type StaffApi = ReturnType<typeof createStaffApi>;
