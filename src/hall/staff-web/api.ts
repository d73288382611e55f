/**
 * The staff API as the desk calls it (docs/sync-protocol.md, section 8): one function per endpoint,
 * typed with the body types of the hall modules that answer, every failure a value. The bearer
 * token is the one the desk holds; a 401 anywhere signs the desk out (`onUnauthenticated`).
 */
import { err, ok, type Result } from '../../shared/result.js';
import type { CaseListPage, CaseReveal, StaffAction } from '../../shared/wire/staff.js';
import type { CaseDetail } from '../case-detail.js';
import type { EvaluationExport } from '../evaluation-export.js';
import type { FleetReport } from '../fleet.js';
import type { FollowupAction, FollowupActionDone, FollowupList } from '../followups.js';
import type { Staff, StaffActionDone, StaffApiError, StaffCaseList } from '../staff.js';
import type { SupervisionReport } from '../supervision.js';

export type Problem =
  /** The token is no longer valid (revoked, or the hall's database was reset). */
  | { kind: 'unauthenticated' }
  /** The hall answered with an error (404 another jurisdiction's case, 409 not from this status …). */
  | { kind: 'refused'; status: number; error: StaffApiError | null }
  /** No answer: the hall is down or the network is. */
  | { kind: 'unreachable'; message: string };

export type Answer<T> = Result<T, Problem>;

export type StaffApiDeps = {
  token: () => string | null;
  onUnauthenticated: () => void;
  fetch: typeof fetch;
};

type Reply = { status: number; body: unknown } | { unreachable: string };

async function send(
  fetchFn: typeof fetch,
  token: string,
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
): Promise<Reply> {
  try {
    const res = await fetchFn(path, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
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
    const token = deps.token();
    if (token === null) return err({ kind: 'unauthenticated' });
    const r = await send(deps.fetch, token, method, path, body);
    if ('unreachable' in r) return err({ kind: 'unreachable', message: r.unreachable });
    if (r.status === 401) {
      deps.onUnauthenticated();
      return err({ kind: 'unauthenticated' });
    }
    if (r.status !== 200) return err({ kind: 'refused', status: r.status, error: errorBody(r.body) });
    // The hall's own page on the hall's own origin: a 200 body is the type its module declares.
    return ok(r.body as T);
  }
  const id = encodeURIComponent;

  return {
    /** Signing in: tries a candidate token without touching the desk's session. */
    async me(token: string): Promise<Answer<Staff>> {
      const r = await send(deps.fetch, token, 'GET', '/v1/staff/me');
      if ('unreachable' in r) return err({ kind: 'unreachable', message: r.unreachable });
      if (r.status === 401) return err({ kind: 'unauthenticated' });
      if (r.status !== 200) return err({ kind: 'refused', status: r.status, error: errorBody(r.body) });
      return ok(r.body as Staff);
    },
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
    // The case list, the audited reveal and a case's pages (docs/sync-protocol.md, 8.6).
    caseList: (query: URLSearchParams) =>
      call<CaseListPage>('GET', `/v1/staff/case-list?${query.toString()}`),
    reveal: (caseId: string) => call<CaseReveal>('POST', `/v1/staff/cases/${id(caseId)}/reveal`),
    async document(caseId: string, sha256: string): Promise<Answer<Blob>> {
      const token = deps.token();
      if (token === null) return err({ kind: 'unauthenticated' });
      try {
        const res = await deps.fetch(`/v1/staff/cases/${id(caseId)}/blobs/${id(sha256)}`, {
          headers: { authorization: `Bearer ${token}` },
        });
        if (res.status === 401) {
          deps.onUnauthenticated();
          return err({ kind: 'unauthenticated' });
        }
        if (res.status !== 200) return err({ kind: 'refused', status: res.status, error: null });
        return ok(await res.blob());
      } catch (e) {
        return err({ kind: 'unreachable', message: e instanceof Error ? e.message : String(e) });
      }
    },
  };
}

export type StaffApi = ReturnType<typeof createStaffApi>;

/** A failed call in words, for the desk's status line or a form. */
export function problemText(p: Problem): string {
  switch (p.kind) {
    case 'unauthenticated':
      return '登录已失效，请重新登录 (sign in again)';
    case 'unreachable':
      return `无法连接大厅服务 (hall unreachable)${p.message ? `: ${p.message}` : ''}`;
    case 'refused':
      if (p.status === 409) return `当前状态不允许此操作 (not allowed from ${p.error?.from ?? '?'})`;
      if (p.status === 404) return '未找到或不属于本辖区 (not found)';
      return p.error?.message || p.error?.error || `HTTP ${p.status}`;
    default: {
      const never: never = p;
      return never;
    }
  }
}
