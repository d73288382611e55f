import { describe, expect, it } from 'vitest';
import { createStaffApi } from './api.js';
import { problemWords } from './case-detail-text.js';
import { createDeskI18n, deskTextOf } from './desk-i18n.js';

const i18n = createDeskI18n();
const zh = deskTextOf(i18n, 'zh-CN');
const en = deskTextOf(i18n, 'en');

type Call = {
  url: string;
  method: string;
  credentials: string | undefined;
  headers: Record<string, string>;
  body: string | undefined;
};

/** A fetch answering `status` with `body` (or failing when `body` is an Error), recording each call. */
function fakeFetch(status: number, body: unknown) {
  const calls: Call[] = [];
  const fetchFn: typeof fetch = (input, init) => {
    calls.push({
      url: typeof input === 'string' ? input : input instanceof URL ? input.href : input.url,
      method: init?.method ?? 'GET',
      credentials: init?.credentials,
      headers: (init?.headers ?? {}) as Record<string, string>,
      body: typeof init?.body === 'string' ? init.body : undefined,
    });
    if (body instanceof Error) return Promise.reject(body);
    return Promise.resolve(new Response(JSON.stringify(body), { status }));
  };
  return { calls, fetchFn };
}

const api = (status: number, body: unknown, csrf: string | null = 'csrf-123') => {
  const f = fakeFetch(status, body);
  const signedOut: number[] = [];
  return {
    ...f,
    signedOut,
    api: createStaffApi({ csrf: () => csrf, onUnauthenticated: () => signedOut.push(1), fetch: f.fetchFn }),
  };
};

describe('staff API client', () => {
  it('sends the session cookie (same origin) and returns the body of a 200', async () => {
    const t = api(200, { jurisdiction: '610102', cases: [] });
    expect(await t.api.cases()).toEqual({ ok: true, value: { jurisdiction: '610102', cases: [] } });
    expect(t.calls).toEqual([
      { url: '/v1/staff/cases', method: 'GET', credentials: 'same-origin', headers: {}, body: undefined },
    ]);
  });

  it('posts an action as JSON to the case’s own URL with the CSRF token', async () => {
    const t = api(200, { id: 'a/1', status: 'accepted', position: 7 });
    const r = await t.api.caseAction('a/1', { action: 'accept' });
    expect(r).toEqual({ ok: true, value: { id: 'a/1', status: 'accepted', position: 7 } });
    expect(t.calls[0]).toEqual({
      url: '/v1/staff/cases/a%2F1/actions',
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'x-csrf-token': 'csrf-123', 'content-type': 'application/json' },
      body: '{"action":"accept"}',
    });
  });

  it('signs the desk out on a 401', async () => {
    const t = api(401, { error: 'unauthenticated', message: 'a staff bearer token is required' });
    expect(await t.api.fleet()).toEqual({ ok: false, error: { kind: 'unauthenticated' } });
    expect(t.signedOut).toEqual([1]);
  });

  it('signs in and looks at the session without signing anybody out on a 401', async () => {
    const bad = api(401, { error: 'bad-credentials', message: 'wrong' }, null);
    const r = await bad.api.login('wang', 'pw');
    expect(r).toEqual({
      ok: false,
      error: { kind: 'refused', status: 401, error: { error: 'bad-credentials', message: 'wrong' } },
    });
    expect(bad.calls[0]).toMatchObject({ url: '/v1/staff/login', body: '{"login":"wang","password":"pw"}' });
    expect(bad.calls[0]?.headers).toEqual({ 'content-type': 'application/json' });
    const gone = api(401, { error: 'unauthenticated', message: '' }, null);
    expect(await gone.api.me()).toEqual({ ok: false, error: { kind: 'unauthenticated' } });
    expect([...bad.signedOut, ...gone.signedOut]).toEqual([]);
    const locked = await api(429, { error: 'locked', message: 'later' }).api.login('wang', 'pw');
    expect(!locked.ok && locked.error.kind === 'refused' && locked.error.status).toBe(429);
  });

  it('turns refusals and a missing hall into words of the page’s language', async () => {
    const conflict = await api(409, {
      error: 'invalid-transition',
      message: 'cannot complete a case that is received',
      from: 'received',
    }).api.caseAction('app-1', { action: 'complete', result: '准予许可' });
    expect(conflict.ok).toBe(false);
    if (conflict.ok) return;
    expect(problemWords(conflict.error, zh, 'zh-CN')).toContain('大厅已收件');
    expect(problemWords(conflict.error, en, 'en')).not.toMatch(/[\u4e00-\u9fff]/u);

    const missing = await api(404, { error: 'not-found', message: 'no such case' }).api.caseDetail('x');
    expect(!missing.ok && problemWords(missing.error, zh, 'zh-CN')).toBe(zh('detail.problem.notFound'));

    const bad = await api(400, { error: 'bad-request', message: 'reason: too short' }).api.caseAction('x', {
      action: 'refuse',
      reason: 'r',
    });
    expect(!bad.ok && problemWords(bad.error, en, 'en')).toContain('reason: too short');

    const notJson = await api(502, 'gateway').api.supervision();
    expect(!notJson.ok && problemWords(notJson.error, en, 'en')).toContain('502');

    const down = await api(0, new TypeError('Failed to fetch')).api.cases();
    expect(down).toEqual({ ok: false, error: { kind: 'unreachable', message: 'Failed to fetch' } });
    expect(!down.ok && problemWords(down.error, en, 'en')).toBe(en('detail.problem.unreachable'));
  });
});
