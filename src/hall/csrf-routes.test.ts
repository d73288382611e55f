/**
 * CSRF on every state-changing staff route (docs/security.md, "The staff desk"; staff-auth.ts), over a
 * real listening hall with signed-in accounts. The routes are read from the hall's own source, so a
 * route added later is in the table without anyone remembering to add it: each is refused with 403
 * `csrf-refused` when a cookie session sends no x-csrf-token, a wrong one, another session's, or the
 * right one from another origin — and is NOT refused for CSRF with the right one (so the table
 * cannot pass by refusing everything). Nothing is changed by a refused request.
 */
import { readdirSync, readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StaffMe } from '../shared/wire/index.js';
import { startHallServer, type HallServer } from './server.js';
import { applicationPayload, enrolKiosk, fixtureId } from './testing/staff-fixture.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const PASSWORD = 'desk-pass-2026';

/** Every `app.post|put|patch|delete('/v1/staff/…')` in src/hall (tests excluded). */
function stateChangingStaffRoutes(): { method: string; path: string }[] {
  const found = new Map<string, { method: string; path: string }>();
  const pattern = /app\.(post|put|patch|delete)\(\s*['`](\/v1\/staff\/[^'`]+)['`]/g;
  for (const f of readdirSync(HERE)) {
    if (!f.endsWith('.ts') || f.endsWith('.test.ts')) continue;
    for (const m of readFileSync(join(HERE, f), 'utf8').matchAll(pattern)) {
      const method = (m[1] ?? '').toUpperCase();
      const path = m[2] ?? '';
      found.set(`${method} ${path}`, { method, path });
    }
  }
  return [...found.values()];
}

let dir: string;
let hall: HallServer;
type Session = { cookie: string; csrf: string };
let mine: Session;
let theirs: Session;
const caseId = fixtureId('csrf-case');

async function signIn(login: string): Promise<Session> {
  const added = await hall.accounts.add({
    login,
    displayName: login,
    roles: ['clerk', 'approver', 'supervisor', 'admin'],
    jurisdictions: ['610102'],
    password: PASSWORD,
  });
  if (!added.ok) throw new Error(added.error);
  const res = await fetch(new URL('v1/staff/login', hall.url), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ login, password: PASSWORD }),
  });
  expect(res.status).toBe(200);
  const me = (await res.json()) as StaffMe;
  return { cookie: (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '', csrf: me.csrfToken ?? '' };
}

/** The route with its parameters filled: the real case for :id, harmless values elsewhere. */
const concrete = (path: string): string =>
  path
    .replace(':id', caseId)
    .replace(':window', 'ylsb')
    .replace(':move', 'recall')
    .replace(/:[a-zA-Z]+/g, 'x');

async function send(
  method: string,
  path: string,
  headers: Record<string, string>,
): Promise<{ status: number; error: unknown }> {
  const res = await fetch(new URL(concrete(path).replace(/^\//, ''), hall.url), {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    // A body every action route parses; the CSRF gate comes before it is read.
    body: JSON.stringify({ action: 'accept' }),
  });
  const text = await res.text();
  let error: unknown = null;
  try {
    error = (JSON.parse(text) as { error?: unknown }).error ?? null;
  } catch {
    // not JSON
  }
  return { status: res.status, error };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'zizhu-hall-csrf-'));
  hall = await startHallServer({ host: '127.0.0.1', port: 0, dataDir: dir }, { silent: true });
  const kiosk = await enrolKiosk(hall, '610102');
  expect((await kiosk.push('application', applicationPayload('csrf-case'))).status).toBe(200);
  mine = await signIn('wang');
  theirs = await signIn('li');
});
afterAll(async () => {
  await hall.close();
  rmSync(dir, { recursive: true, force: true });
});

const routes = stateChangingStaffRoutes().filter((r) => r.path !== '/v1/staff/login');
// Logout ends the session it is sent with: it goes last so the other rows keep theirs.
routes.sort((a, b) => Number(a.path === '/v1/staff/logout') - Number(b.path === '/v1/staff/logout'));

describe('CSRF on every state-changing staff route', () => {
  it('finds the routes in the hall’s source (the table is not empty or stale)', () => {
    const paths = routes.map((r) => `${r.method} ${r.path}`);
    for (const known of [
      'POST /v1/staff/cases/:id/actions',
      'POST /v1/staff/cases/:id/reveal',
      'POST /v1/staff/followups/:id/actions',
      'POST /v1/staff/queue/:window/next',
      'POST /v1/staff/queue/:window/call',
      'POST /v1/staff/queue/tickets/:id/:move',
      'POST /v1/staff/help/:id/answer',
      'POST /v1/staff/help/:id/close',
      'POST /v1/staff/help/:id/signals',
      'POST /v1/staff/logout',
    ])
      expect(paths).toContain(known);
  });

  it.each(routes.map((r) => [`${r.method} ${r.path}`, r] as const))('%s', async (_name, r) => {
    const refusals: [string, Record<string, string>][] = [
      ['no token', { cookie: mine.cookie }],
      ['a wrong token', { cookie: mine.cookie, 'x-csrf-token': 'A'.repeat(43) }],
      ['an empty token', { cookie: mine.cookie, 'x-csrf-token': '' }],
      ['another session’s token', { cookie: mine.cookie, 'x-csrf-token': theirs.csrf }],
      [
        'the right token from another origin',
        { cookie: mine.cookie, 'x-csrf-token': mine.csrf, origin: 'http://evil.example' },
      ],
    ];
    for (const [what, headers] of refusals) {
      const a = await send(r.method, r.path, headers);
      expect({ what, ...a }).toEqual({ what, status: 403, error: 'csrf-refused' });
    }
    // Without any session it is 401, never a change.
    expect((await send(r.method, r.path, {})).status).toBe(401);
    // The right token from the hall's own origin passes the gate (whatever the route answers next).
    const ok = await send(r.method, r.path, {
      cookie: mine.cookie,
      'x-csrf-token': mine.csrf,
      origin: new URL(hall.url).origin,
    });
    expect(ok.error).not.toBe('csrf-refused');
    expect(ok.status).not.toBe(401);
  });

  it('changed nothing through a refused request: the case was accepted once, by the allowed one', async () => {
    const lines = (await hall.audit.page({ jurisdictions: null, limit: 500 })).filter(
      (e) => e.caseId === caseId,
    );
    expect(lines.filter((e) => e.action === 'case.accept')).toHaveLength(1);
  });

  it('a sign-in from another origin is refused (login CSRF)', async () => {
    const res = await fetch(new URL('v1/staff/login', hall.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'http://evil.example' },
      body: JSON.stringify({ login: 'wang', password: PASSWORD }),
    });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: string }).error).toBe('csrf-refused');
  });
});
