/**
 * 属地 across an account's jurisdictions, over a real listening hall with signed-in accounts
 * (docs/sync-protocol.md, 8 "A day at the desk and its jurisdiction rules"): an account bound to two
 * jurisdictions sees and acts on the cases, documents, scanned pages, 电子监察 report, 好差评
 * follow-ups and export, statistics, help requests and queue numbers of both; an account of a third
 * jurisdiction sees none of them (absent from lists, 404 by id, zero in the statistics).
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StaffMe } from '../shared/wire/index.js';
import { startHallServer, type HallServer } from './server.js';
import {
  applicationPayload,
  enrolKiosk,
  fixtureId,
  storeBlob,
  type FixtureKiosk,
} from './testing/staff-fixture.js';

const A = '610102';
const B = '610103';
const OTHER = '610104';
const PASSWORD = 'desk-pass-2026';
const DAY = '2026-03-02';

let dir: string;
let hall: HallServer;
let now = Date.parse('2026-03-02T01:00:00Z'); // 09:00 in Asia/Shanghai

type Session = { cookie: string; csrf: string };
type Reply = { status: number; body: Record<string, unknown>; text: string };
let both: Session;
let outsider: Session;
let onlyA: Session;

async function call(s: Session, method: string, path: string, body?: unknown): Promise<Reply> {
  const res = await fetch(new URL(path.replace(/^\//, ''), hall.url), {
    method,
    headers: {
      cookie: s.cookie,
      ...(method === 'GET' ? {} : { 'x-csrf-token': s.csrf }),
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  let parsed: Record<string, unknown> = {};
  try {
    parsed = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // a CSV, XLSX or PDF body
  }
  return { status: res.status, body: parsed, text };
}

async function signIn(login: string, roles: string[], jurisdictions: string[]): Promise<Session> {
  const added = await hall.accounts.add({
    login,
    displayName: login,
    roles,
    jurisdictions,
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

const evaluation = (id: string, target: string) => ({
  id: fixtureId(id),
  targetKind: 'application',
  targetId: fixtureId(target),
  level: 'very-dissatisfied',
  contentItems: [],
  reason: null,
  comment: null,
  channel: 'self-service-terminal',
  itemsVersion: '2026.1',
  createdAt: '2026-03-02T01:30:00.000Z',
});

const page = Buffer.from('fake scanned page');
let pageSha: string;
const caseA = fixtureId('case-a');
const caseB = fixtureId('case-b');
const caseOther = fixtureId('case-other');
const helpA = randomUUID();
const helpB = randomUUID();
const helpOther = randomUUID();
const tickets: Record<string, string> = {};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'zizhu-hall-jurisdictions-'));
  hall = await startHallServer(
    { host: '127.0.0.1', port: 0, dataDir: dir, timeZone: 'Asia/Shanghai' },
    { silent: true, clock: () => new Date(now) },
  );
  pageSha = await storeBlob(hall, page);
  const kiosks: Record<string, FixtureKiosk> = {
    [A]: await enrolKiosk(hall, A),
    [B]: await enrolKiosk(hall, B),
    [OTHER]: await enrolKiosk(hall, OTHER),
  };
  const cases: [string, string][] = [
    ['case-a', A],
    ['case-b', B],
    ['case-other', OTHER],
  ];
  for (const [name, j] of cases) {
    const k = kiosks[j];
    if (!k) throw new Error(j);
    const app = applicationPayload(name, {
      jurisdiction: j,
      submittedAt: '2026-03-02T01:00:00.000Z',
      attachments: [{ materialCode: 'sfz', sha256: pageSha, size: page.length }],
    });
    expect((await k.push('application', app)).status).toBe(200);
    expect((await k.push('evaluation', evaluation(`ev-${name}`, name))).status).toBe(200);
    const help = { [A]: helpA, [B]: helpB, [OTHER]: helpOther }[j] ?? '';
    expect(
      (
        await hall.help.request(
          { id: k.id, jurisdiction: j },
          { id: help, step: 'apply', since: new Date(now).toISOString(), consent: false },
        )
      ).status,
    ).toBe(200);
    const t = await hall.queue.take(k.id, {
      id: fixtureId(`ticket-${name}`),
      idempotencyKey: `take-${name}`,
      window: 'ylsb',
      prefix: 'E',
      serviceDate: DAY,
    });
    expect(t.status).toBe(200);
    tickets[j] = (t.body as { id: string }).id;
    now += 60_000;
  }
  const all = ['clerk', 'approver', 'supervisor'];
  both = await signIn('two-places', all, [A, B]);
  outsider = await signIn('elsewhere', all, [OTHER]);
  onlyA = await signIn('one-place', all, [A]);
});
afterAll(async () => {
  await hall.close();
  rmSync(dir, { recursive: true, force: true });
});

const ids = (rows: unknown): string[] => (rows as { id: string }[]).map((r) => r.id);

describe('an account bound to two jurisdictions', () => {
  it('lists the cases of both and no others, in every list', async () => {
    const legacy = await call(both, 'GET', '/v1/staff/cases');
    expect(ids(legacy.body.cases).sort()).toEqual([caseA, caseB].sort());
    const list = await call(both, 'GET', '/v1/staff/case-list');
    expect(ids(list.body.rows).sort()).toEqual([caseA, caseB].sort());
    const sup = await call(both, 'GET', '/v1/staff/supervision');
    expect(ids(sup.body.cases).sort()).toEqual([caseA, caseB].sort());
    expect(sup.body.jurisdictions).toEqual([A, B]);
    // An account of one of them sees only its own.
    expect(ids((await call(onlyA, 'GET', '/v1/staff/supervision')).body.cases)).toEqual([caseA]);
    expect(ids((await call(onlyA, 'GET', '/v1/staff/cases')).body.cases)).toEqual([caseA]);
  });

  it('opens both cases, their scanned pages and documents', async () => {
    for (const id of [caseA, caseB]) {
      expect((await call(both, 'GET', `/v1/staff/cases/${id}`)).status).toBe(200);
      const blob = await call(both, 'GET', `/v1/staff/cases/${id}/blobs/${pageSha}`);
      expect(blob.status).toBe(200);
      expect(blob.text).toBe(page.toString());
    }
  });

  it('sees the 差评 follow-ups of both, acts on either, and exports both jurisdictions’ evaluations', async () => {
    const list = await call(both, 'GET', '/v1/staff/followups');
    const rows = list.body.followups as { id: number; case: { id: string } | null }[];
    expect(rows.map((r) => r.case?.id).sort()).toEqual([caseA, caseB].sort());
    const ofB = rows.find((r) => r.case?.id === caseB);
    expect(
      (await call(both, 'POST', `/v1/staff/followups/${ofB?.id}/actions`, { action: 'start' })).status,
    ).toBe(200);
    const exported = await call(both, 'GET', '/v1/staff/evaluations/export');
    const targets = (exported.body.evaluations as { targetId: string }[]).map((e) => e.targetId);
    expect(targets.sort()).toEqual([caseA, caseB].sort());
    expect(exported.body.jurisdictions).toEqual([A, B]);
  });

  it('counts both in the statistics and its exports', async () => {
    const stats = await call(both, 'GET', `/v1/staff/stats?from=${DAY}&to=${DAY}`);
    expect(stats.status).toBe(200);
    expect(stats.body).toMatchObject({ jurisdictions: [A, B], totals: { cases: 2 } });
    const csv = await call(both, 'GET', `/v1/staff/stats.csv?from=${DAY}&to=${DAY}`);
    expect(csv.status).toBe(200);
    expect(csv.text).toContain(`${A} ${B}`);
  });

  it('sees and answers the help requests of both', async () => {
    const help = await call(both, 'GET', '/v1/staff/help');
    expect(ids(help.body.requests).sort()).toEqual([helpA, helpB].sort());
    expect((await call(both, 'POST', `/v1/staff/help/${helpB}/answer`)).status).toBe(200);
  });

  it('has both jurisdictions’ numbers in its queue and calls them', async () => {
    const q = await call(both, 'GET', `/v1/staff/queue?window=ylsb`);
    const windows = q.body.windows as { tickets: { id: string }[] }[];
    expect(windows.flatMap((w) => ids(w.tickets)).sort()).toEqual([tickets[A], tickets[B]].sort());
    const first = await call(both, 'POST', '/v1/staff/queue/ylsb/next', {});
    const second = await call(both, 'POST', '/v1/staff/queue/ylsb/next', {});
    const called = [first, second].map((r) => (r.body as { ticket: { id: string } }).ticket.id);
    expect(called.sort()).toEqual([tickets[A], tickets[B]].sort());
    // Nothing of the third jurisdiction is left to call for this account.
    expect((await call(both, 'POST', '/v1/staff/queue/ylsb/next', {})).status).not.toBe(200);
  });

  it('acts on a case of its second jurisdiction', async () => {
    const r = await call(both, 'POST', `/v1/staff/cases/${caseB}/actions`, { action: 'accept' });
    expect(r.status).toBe(200);
    expect((await call(both, 'GET', '/v1/staff/cases/' + caseB + '/documents/acceptance.pdf')).status).toBe(
      200,
    );
  });
});

describe('an account of another jurisdiction', () => {
  it('sees none of the two jurisdictions’ cases in any list', async () => {
    for (const path of ['/v1/staff/cases', '/v1/staff/case-list', '/v1/staff/supervision']) {
      const r = await call(outsider, 'GET', path);
      expect(r.status, path).toBe(200);
      expect(ids(r.body.cases ?? r.body.rows), path).toEqual([caseOther]);
    }
    const f = await call(outsider, 'GET', '/v1/staff/followups');
    expect((f.body.followups as { case: { id: string } }[]).map((r) => r.case.id)).toEqual([caseOther]);
    const e = await call(outsider, 'GET', '/v1/staff/evaluations/export');
    expect((e.body.evaluations as { targetId: string }[]).map((x) => x.targetId)).toEqual([caseOther]);
    const h = await call(outsider, 'GET', '/v1/staff/help');
    expect(ids(h.body.requests)).toEqual([helpOther]);
    const q = await call(outsider, 'GET', '/v1/staff/queue?window=ylsb');
    expect((q.body.windows as { tickets: { id: string }[] }[]).flatMap((w) => ids(w.tickets))).toEqual([
      tickets[OTHER],
    ]);
    const stats = await call(outsider, 'GET', `/v1/staff/stats?from=${DAY}&to=${DAY}`);
    expect(stats.body).toMatchObject({ jurisdictions: [OTHER], totals: { cases: 1 } });
  });

  it('gets 404 for every case, page, document, follow-up, help request and ticket of theirs', async () => {
    const followups = (await call(both, 'GET', '/v1/staff/followups')).body.followups as { id: number }[];
    for (const id of [caseA, caseB]) {
      expect((await call(outsider, 'GET', `/v1/staff/cases/${id}`)).status).toBe(404);
      expect((await call(outsider, 'GET', `/v1/staff/cases/${id}/blobs/${pageSha}`)).status).toBe(404);
      expect((await call(outsider, 'GET', `/v1/staff/cases/${id}/documents/acceptance.pdf`)).status).toBe(
        404,
      );
      expect((await call(outsider, 'POST', `/v1/staff/cases/${id}/reveal`)).status).toBe(404);
      expect(
        (await call(outsider, 'POST', `/v1/staff/cases/${id}/actions`, { action: 'refuse', reason: 'x' }))
          .status,
      ).toBe(404);
    }
    for (const f of followups)
      expect(
        (await call(outsider, 'POST', `/v1/staff/followups/${f.id}/actions`, { action: 'start' })).status,
      ).toBe(404);
    for (const id of [helpA, helpB]) {
      expect((await call(outsider, 'POST', `/v1/staff/help/${id}/answer`)).status).toBe(404);
      expect((await call(outsider, 'POST', `/v1/staff/help/${id}/close`)).status).toBe(404);
    }
    for (const j of [A, B])
      expect((await call(outsider, 'POST', `/v1/staff/queue/tickets/${tickets[j]}/recall`, {})).status).toBe(
        404,
      );
    // Nothing was changed by those attempts: case A is still as pushed.
    const a = await call(both, 'GET', `/v1/staff/cases/${caseA}`);
    expect(a.body).toMatchObject({ status: 'received' });
  });
});
