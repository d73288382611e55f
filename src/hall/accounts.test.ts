/**
 * Staff accounts over a real listening hall (docs/security.md, "The staff desk"): sign-in and its
 * refusals, the cookie's attributes, idle and absolute expiry on a clock, CSRF on cookie state
 * changes, the lock-out and its doubling cool-down, roles and jurisdictions, and the audit lines.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StaffAuditPage, StaffMe } from '../shared/wire/index.js';
import { hashPassword, passwordProblems, verifyPassword } from './accounts.js';
import { startHallServer, type HallServer } from './server.js';
import { applicationPayload, enrolKiosk, fixtureId } from './testing/staff-fixture.js';

let dir: string;
let hall: HallServer;
let now: number;
const START = Date.parse('2026-03-02T09:00:00.000Z');
const PASSWORD = 'desk-pass-2026';

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'zizhu-hall-accounts-'));
  now = START;
  hall = await startHallServer(
    { host: '127.0.0.1', port: 0, dataDir: dir },
    { silent: true, clock: () => new Date(now) },
  );
});
afterEach(async () => {
  await hall.close();
  rmSync(dir, { recursive: true, force: true });
});

async function addAccount(login: string, roles: string[], jurisdictions = ['610102']): Promise<void> {
  const r = await hall.accounts.add({
    login,
    displayName: `${login} 科员`,
    roles,
    jurisdictions,
    password: PASSWORD,
  });
  if (!r.ok) throw new Error(r.error);
}

type Reply = { status: number; body: Record<string, unknown>; headers: Headers };

async function call(
  method: string,
  path: string,
  o: { body?: unknown; cookie?: string; csrf?: string; origin?: string; bearer?: string } = {},
): Promise<Reply> {
  const res = await fetch(new URL(path.replace(/^\//, ''), hall.url), {
    method,
    headers: {
      ...(o.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(o.cookie ? { cookie: o.cookie } : {}),
      ...(o.csrf ? { 'x-csrf-token': o.csrf } : {}),
      ...(o.origin ? { origin: o.origin } : {}),
      ...(o.bearer ? { authorization: `Bearer ${o.bearer}` } : {}),
    },
    ...(o.body !== undefined ? { body: JSON.stringify(o.body) } : {}),
  });
  const text = await res.text();
  return {
    status: res.status,
    headers: res.headers,
    body: (text ? JSON.parse(text) : {}) as Record<string, unknown>,
  };
}

type Session = { cookie: string; csrf: string; me: StaffMe; setCookie: string };

async function login(name: string, password = PASSWORD): Promise<Session> {
  const r = await call('POST', '/v1/staff/login', { body: { login: name, password } });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  const setCookie = r.headers.get('set-cookie') ?? '';
  const me = r.body as unknown as StaffMe;
  return { cookie: setCookie.split(';')[0] ?? '', csrf: me.csrfToken ?? '', me, setCookie };
}

const hallOrigin = () => new URL(hall.url).origin;

async function pushCase(name: string, jurisdiction = '610102'): Promise<string> {
  const kiosk = await enrolKiosk(hall, jurisdiction);
  const r = await kiosk.push('application', applicationPayload(name, { jurisdiction }));
  expect(r.status).toBe(200);
  return fixtureId(name);
}

const auditActions = async () =>
  (await hall.audit.page({ jurisdictions: null, limit: 500 })).map((e) => e.action);

describe('passwords', () => {
  it('hashes with scrypt and a per-account salt, and verifies only the right password', async () => {
    const a = await hashPassword(PASSWORD);
    const b = await hashPassword(PASSWORD);
    expect(a).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(a).not.toBe(b); // different salts
    expect(await verifyPassword(PASSWORD, a)).toBe(true);
    expect(await verifyPassword(`${PASSWORD}x`, a)).toBe(false);
    expect(await verifyPassword(PASSWORD, 'scrypt$1$1$1$AAAA$AAAA')).toBe(false);
  });

  it('refuses weak passwords with reasons', () => {
    expect(passwordProblems('short1', 'wang').join()).toMatch(/at least 10/);
    expect(passwordProblems('abcdefghijkl', 'wang').join()).toMatch(/two of letters, digits and symbols/);
    expect(passwordProblems('wang-2026-desk', 'wang').join()).toMatch(/login name/);
    expect(passwordProblems('1111111111a', 'wang').join()).toMatch(/different characters/);
    expect(passwordProblems(PASSWORD, 'wang')).toEqual([]);
  });
});

describe('signing in', () => {
  it('sets an HttpOnly SameSite=Strict cookie and answers who signed in with a CSRF token', async () => {
    await addAccount('wang', ['clerk', 'approver'], ['610102', '610113']);
    const s = await login('wang');
    expect(s.setCookie).toMatch(/^zizhu_staff=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Strict$/);
    expect(s.me).toEqual({
      name: 'wang 科员',
      login: 'wang',
      roles: ['clerk', 'approver'],
      jurisdictions: ['610102', '610113'],
      jurisdiction: '610102',
      csrfToken: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) as unknown,
    });
    const me = await call('GET', '/v1/staff/me', { cookie: s.cookie });
    expect(me.status).toBe(200);
    expect(me.body).toEqual(s.me);
    const [line] = await hall.audit.page({ jurisdictions: null, limit: 1 });
    expect(line).toMatchObject({ actor: 'wang', action: 'staff.login', jurisdiction: '610102' });
    // Neither the password nor the session id is written anywhere in the log.
    const log = JSON.stringify(await hall.audit.page({ jurisdictions: null, limit: 500 }));
    expect(log).not.toContain(PASSWORD);
    expect(log).not.toContain(s.cookie.split('=')[1]);
  });

  it('refuses a wrong password, an unknown name and a disabled account alike', async () => {
    await addAccount('wang', ['clerk']);
    await addAccount('li', ['clerk']);
    const wrong = await call('POST', '/v1/staff/login', {
      body: { login: 'wang', password: 'not-the-pass-1' },
    });
    const unknown = await call('POST', '/v1/staff/login', { body: { login: 'nobody', password: PASSWORD } });
    expect((await hall.accounts.disable('li')).ok).toBe(true);
    const disabled = await call('POST', '/v1/staff/login', { body: { login: 'li', password: PASSWORD } });
    for (const r of [wrong, unknown, disabled]) {
      expect(r.status).toBe(401);
      expect(r.body).toEqual(wrong.body);
      expect(r.headers.get('set-cookie')).toBeNull();
    }
    expect(wrong.body.error).toBe('bad-credentials');
    const failed = (await hall.audit.page({ jurisdictions: null, limit: 500 }))
      .filter((e) => e.action === 'staff.login-failed')
      .map((e) => e.actor);
    expect(failed.sort()).toEqual(['(unknown)', 'li', 'wang']);
    expect(JSON.stringify(await hall.audit.page({ jurisdictions: null, limit: 500 }))).not.toContain(
      'not-the-pass-1',
    );
    // A body that is not a login is a 400, not a failure.
    expect((await call('POST', '/v1/staff/login', { body: { login: 'wang' } })).status).toBe(400);
  });

  it('uses a Secure __Host- cookie when the hall serves HTTPS', async () => {
    const certPath = join(dir, 'hall.crt');
    const keyPath = join(dir, 'hall.key');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-keyout',
        keyPath,
        '-out',
        certPath,
        '-days',
        '2',
        '-subj',
        '/CN=hall',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
      ],
      { stdio: 'ignore' },
    );
    const tlsDir = join(dir, 'tls-hall');
    const secure = await startHallServer(
      { host: '127.0.0.1', port: 0, dataDir: tlsDir, tls: { certPath, keyPath } },
      { silent: true, clock: () => new Date(now) },
    );
    try {
      const added = await secure.accounts.add({
        login: 'wang',
        displayName: '王',
        roles: ['clerk'],
        jurisdictions: ['610102'],
        password: PASSWORD,
      });
      expect(added.ok).toBe(true);
      const setCookie = await new Promise<string>((resolve, reject) => {
        const req = request(
          new URL('v1/staff/login', secure.url),
          { method: 'POST', rejectUnauthorized: false, headers: { 'content-type': 'application/json' } },
          (res) => {
            res.resume();
            resolve(String(res.headers['set-cookie'] ?? ''));
          },
        );
        req.on('error', reject);
        req.end(JSON.stringify({ login: 'wang', password: PASSWORD }));
      });
      expect(setCookie).toMatch(
        /^__Host-zizhu_staff=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Strict; Secure$/,
      );
    } finally {
      await secure.close();
    }
  });
});

describe('sessions', { timeout: 60_000 }, () => {
  it('end after 30 minutes idle, and after 12 hours whatever happens', async () => {
    await addAccount('wang', ['clerk']);
    const s = await login('wang');
    now += 29 * 60_000;
    expect((await call('GET', '/v1/staff/me', { cookie: s.cookie })).status).toBe(200);
    now += 29 * 60_000; // 58 minutes after sign-in, but 29 after the last request
    expect((await call('GET', '/v1/staff/me', { cookie: s.cookie })).status).toBe(200);
    now += 30 * 60_000;
    const idle = await call('GET', '/v1/staff/me', { cookie: s.cookie });
    expect([idle.status, idle.body.error]).toEqual([401, 'unauthenticated']);
    // A desk whose session ended is not guessing tokens: its 401s do not throttle the address.
    for (let i = 0; i < 12; i += 1)
      expect((await call('GET', '/v1/staff/cases', { cookie: s.cookie })).status).toBe(401);

    const t = await login('wang');
    const signedIn = now;
    // Busy all day: a request every 20 minutes (bounded: 12 h / 20 min = 36).
    for (let i = 0; i < 36 && now + 20 * 60_000 < signedIn + 12 * 3600_000; i += 1) {
      now += 20 * 60_000;
      expect((await call('GET', '/v1/staff/me', { cookie: t.cookie })).status).toBe(200);
    }
    now = signedIn + 12 * 3600_000;
    expect((await call('GET', '/v1/staff/me', { cookie: t.cookie })).status).toBe(401);
  });

  it('end on logout (with the CSRF token), password reset and disable', async () => {
    await addAccount('wang', ['clerk']);
    const s = await login('wang');
    expect((await call('POST', '/v1/staff/logout', { cookie: s.cookie })).body.error).toBe('csrf-refused');
    const out = await call('POST', '/v1/staff/logout', { cookie: s.cookie, csrf: s.csrf });
    expect(out.status).toBe(200);
    expect(out.headers.get('set-cookie')).toMatch(
      /^zizhu_staff=; Path=\/; HttpOnly; SameSite=Strict; Max-Age=0$/,
    );
    expect((await call('GET', '/v1/staff/me', { cookie: s.cookie })).status).toBe(401);
    expect(await auditActions()).toContain('staff.logout');

    const a = await login('wang');
    expect(await hall.accounts.reset('wang', 'new-desk-pass-7')).toEqual({ ok: true, value: { revoked: 1 } });
    expect((await call('GET', '/v1/staff/me', { cookie: a.cookie })).status).toBe(401);
    const b = await login('wang', 'new-desk-pass-7');
    expect(await hall.accounts.disable('wang')).toEqual({ ok: true, value: { revoked: 1 } });
    expect((await call('GET', '/v1/staff/me', { cookie: b.cookie })).status).toBe(401);
    // A made-up cookie is nobody.
    expect((await call('GET', '/v1/staff/me', { cookie: `zizhu_staff=${'A'.repeat(43)}` })).status).toBe(401);
  });
});

describe('CSRF', () => {
  it('refuses a cookie POST without the token or from another origin, and changes nothing', async () => {
    await addAccount('wang', ['clerk']);
    const id = await pushCase('csrf-case');
    const s = await login('wang');
    const path = `/v1/staff/cases/${id}/actions`;
    const body = { action: 'accept' };
    const bare = await call('POST', path, { cookie: s.cookie, body });
    expect([bare.status, bare.body.error]).toEqual([403, 'csrf-refused']);
    const wrongToken = await call('POST', path, { cookie: s.cookie, csrf: 'x'.repeat(43), body });
    expect(wrongToken.body.error).toBe('csrf-refused');
    const evil = await call('POST', path, {
      cookie: s.cookie,
      csrf: s.csrf,
      origin: 'http://evil.example',
      body,
    });
    expect([evil.status, evil.body.error]).toEqual([403, 'csrf-refused']);
    const detail = await call('GET', `/v1/staff/cases/${id}`, { cookie: s.cookie });
    expect(detail.body.status).toBe('received');
    expect(await auditActions()).not.toContain('case.accept');

    const good = await call('POST', path, { cookie: s.cookie, csrf: s.csrf, origin: hallOrigin(), body });
    expect([good.status, good.body.status]).toEqual([200, 'accepted']);
    expect((await hall.audit.page({ jurisdictions: ['610102'], caseId: id }))[0]).toMatchObject({
      actor: 'wang',
      action: 'case.accept',
    });
    // A login from another origin is refused too (login CSRF).
    const other = await call('POST', '/v1/staff/login', {
      body: { login: 'wang', password: PASSWORD },
      origin: 'http://evil.example',
    });
    expect(other.body.error).toBe('csrf-refused');
  });

  it('does not ask a bearer token for one', async () => {
    const id = await pushCase('bearer-case');
    const token = await hall.staff.createToken('接口', '610102');
    const r = await call('POST', `/v1/staff/cases/${id}/actions`, {
      bearer: token,
      body: { action: 'accept' },
    });
    expect(r.status).toBe(200);
  });
});

describe('lock-out', { timeout: 60_000 }, () => {
  it('locks a name after 5 failures with a doubling cool-down, then lets it in', async () => {
    await addAccount('wang', ['clerk']);
    const bad = () => call('POST', '/v1/staff/login', { body: { login: 'wang', password: 'wrong-pass-99' } });
    for (let i = 0; i < 4; i += 1) expect((await bad()).status).toBe(401);
    const fifth = await bad();
    expect([fifth.status, fifth.body.error, fifth.headers.get('retry-after')]).toEqual([429, 'locked', '60']);
    const right = await call('POST', '/v1/staff/login', { body: { login: 'wang', password: PASSWORD } });
    expect([right.status, right.body.error]).toEqual([429, 'locked']);
    now += 61_000;
    await login('wang'); // allowed after the cool-down; the success forgets the name's strikes
    for (let i = 0; i < 4; i += 1) expect((await bad()).status).toBe(401);
    expect((await bad()).headers.get('retry-after')).toBe('60');
    now += 61_000;
    for (let i = 0; i < 4; i += 1) expect((await bad()).status).toBe(401);
    expect((await bad()).headers.get('retry-after')).toBe('120'); // doubled
    expect((await auditActions()).filter((a) => a === 'staff.locked')).toHaveLength(3);
  });

  it('locks an address after 20 failures across names', async () => {
    await addAccount('wang', ['clerk']);
    let last: Reply | null = null;
    for (let i = 0; i < 20; i += 1)
      last = await call('POST', '/v1/staff/login', {
        body: { login: `guess${i}`, password: 'wrong-pass-99' },
      });
    expect([last?.status, last?.body.error]).toEqual([429, 'locked']);
    const right = await call('POST', '/v1/staff/login', { body: { login: 'wang', password: PASSWORD } });
    expect(right.status).toBe(429);
    now += 61_000;
    await login('wang');
  });
});

describe('roles and jurisdictions', { timeout: 60_000 }, () => {
  it('lets each role do only its own actions, and hides another jurisdiction’s case', async () => {
    await addAccount('clerk1', ['clerk']);
    await addAccount('appr1', ['approver']);
    await addAccount('sup1', ['supervisor']);
    await addAccount('far', ['clerk', 'approver'], ['610113']);
    const id = await pushCase('roles-case');
    const path = `/v1/staff/cases/${id}/actions`;
    const as = async (s: Session, body: unknown) =>
      call('POST', path, { cookie: s.cookie, csrf: s.csrf, origin: hallOrigin(), body });
    const [clerk, approver, supervisor, far] = [
      await login('clerk1'),
      await login('appr1'),
      await login('sup1'),
      await login('far'),
    ];
    const supAccept = await as(supervisor, { action: 'accept' });
    expect([supAccept.status, supAccept.body.error]).toEqual([403, 'forbidden']);
    expect((await as(far, { action: 'accept' })).status).toBe(404);
    expect((await call('GET', `/v1/staff/cases/${id}`, { cookie: far.cookie })).status).toBe(404);
    expect((await as(clerk, { action: 'accept' })).status).toBe(200);
    const clerkDone = await as(clerk, { action: 'complete', result: '准予登记' });
    expect([clerkDone.status, clerkDone.body.error]).toEqual([403, 'forbidden']);
    const done = await as(approver, { action: 'complete', result: '准予登记', trackingNumber: 'EMS1' });
    expect([done.status, done.body.status]).toEqual([200, 'completed']);
    // The supervisor reads the case (and the log); the clerk may not read the log.
    expect((await call('GET', `/v1/staff/cases/${id}`, { cookie: supervisor.cookie })).body.status).toBe(
      'completed',
    );
    expect((await call('GET', '/v1/staff/audit', { cookie: clerk.cookie })).body.error).toBe('forbidden');
  });
});

describe('the audit log', () => {
  it('shows a supervisor their jurisdictions’ entries, newest first, in pages', async () => {
    await addAccount('sup1', ['supervisor']);
    await addAccount('wang', ['clerk']);
    await addAccount('far', ['clerk'], ['610113']);
    await login('wang');
    await login('far');
    const sup = await login('sup1');
    const first = await call('GET', '/v1/staff/audit?limit=2', { cookie: sup.cookie });
    expect(first.status).toBe(200);
    const page = first.body as unknown as StaffAuditPage;
    expect(page.entries.map((e) => [e.actor, e.action])).toEqual([
      ['sup1', 'staff.login'],
      ['wang', 'staff.login'],
    ]);
    expect(page.next).toBe(page.entries[1]?.id);
    const rest = (await call('GET', `/v1/staff/audit?limit=100&before=${page.next}`, { cookie: sup.cookie }))
      .body as unknown as StaffAuditPage;
    expect(rest.entries.every((e) => e.jurisdiction === '610102')).toBe(true);
    expect(rest.entries.map((e) => e.actor)).not.toContain('far');
    expect(rest.next).toBeNull();
    expect((await call('GET', '/v1/staff/audit?before=abc', { cookie: sup.cookie })).status).toBe(400);
    // Without a session: 401.
    expect((await call('GET', '/v1/staff/audit')).status).toBe(401);
  });
});
