/**
 * The staff gate and the audit log (staff-auth.ts, audit.ts): a staff action over HTTP is written to
 * the audit log with who, what, which case and from where, in the action's transaction; a role that
 * may not is refused with 403 `forbidden` and changes nothing; the log is append-only and read per
 * jurisdiction.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openHallDatabase } from './store/index.js';
import { startHallServer, type HallServer } from './server.js';
import { createStaffAuth } from './staff-auth.js';
import type { Staff } from './staff.js';
import { applicationPayload, enrolKiosk, fixtureId } from './testing/staff-fixture.js';

let dir: string;
let hall: HallServer;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'zizhu-hall-audit-'));
  hall = await startHallServer({ host: '127.0.0.1', port: 0, dataDir: dir }, { silent: true });
});
afterEach(async () => {
  await hall.close();
  rmSync(dir, { recursive: true, force: true });
});

const act = async (token: string, id: string, body: unknown) => {
  const res = await fetch(new URL(`v1/staff/cases/${id}/actions`, hall.url), {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};

describe('the audit log', () => {
  it('records each staff action with who, what, the case and the address; a refused one leaves no line', async () => {
    const kiosk = await enrolKiosk(hall, '610102');
    expect((await kiosk.push('application', applicationPayload('a1'))).status).toBe(200);
    const token = await hall.staff.createToken('王科员', '610102');
    const outsider = await hall.staff.createToken('李科员', '610104');
    const id = fixtureId('a1');

    expect((await act(outsider, id, { action: 'accept' })).status).toBe(404);
    expect((await act(token, id, { action: 'accept' })).status).toBe(200);
    expect((await act(token, id, { action: 'accept' })).status).toBe(409);

    const lines = await hall.audit.page({ jurisdictions: null });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      actor: '王科员',
      action: 'case.accept',
      jurisdiction: '610102',
      caseId: id,
      address: '127.0.0.1',
      detail: { from: 'received', to: 'accepted' },
    });
    expect(await hall.audit.page({ jurisdictions: ['610104'] })).toEqual([]);
    expect(await hall.audit.page({ jurisdictions: ['610102'], caseId: id })).toHaveLength(1);
  });

  it('refuses an action the role may not do, and changes nothing', async () => {
    const kiosk = await enrolKiosk(hall, '610102');
    expect((await kiosk.push('application', applicationPayload('a2'))).status).toBe(200);
    const id = fixtureId('a2');
    const supervisor: Staff = {
      name: '督查',
      jurisdiction: '610102',
      jurisdictions: ['610102'],
      roles: ['supervisor'],
    };
    const clerk: Staff = { ...supervisor, name: '受理员', roles: ['clerk'] };
    const r = await hall.staff.act(supervisor, id, { action: 'accept' });
    expect(r.status).toBe(403);
    expect((r.body as { error: string }).error).toBe('forbidden');
    expect((await hall.staff.act(clerk, id, { action: 'accept' })).status).toBe(200);
    // 办结 is the approver's: a clerk is refused even on an accepted case.
    expect((await hall.staff.act(clerk, id, { action: 'complete', result: '准予' })).status).toBe(403);
    expect((await hall.audit.page({ jurisdictions: ['610102'] })).map((l) => [l.actor, l.action])).toEqual([
      ['受理员', 'case.accept'],
    ]);
  });

  it('keeps the log append-only', async () => {
    await hall.audit.record({ actor: 'x', action: 'staff.login' });
    const r = openHallDatabase(join(dir, 'hall.db'));
    if (!r.ok) throw new Error(r.message);
    try {
      expect(() => r.db.prepare('UPDATE staff_audit SET actor = ?').run('y')).toThrow(/append-only/);
      expect(() => r.db.prepare('DELETE FROM staff_audit').run()).toThrow(/append-only/);
    } finally {
      r.db.close();
    }
  });
});

describe('the staff gate', () => {
  it('answers 401 without a token, 403 forbidden for a role without the permission', async () => {
    const app = Fastify();
    const people: Record<string, Staff> = {
      'Bearer supervisor': { name: 's', jurisdiction: 'j', jurisdictions: ['j'], roles: ['supervisor'] },
      'Bearer token': { name: 't', jurisdiction: 'j', jurisdictions: ['j'] },
    };
    const gate = createStaffAuth({
      staff: { authenticate: (h) => Promise.resolve(h ? (people[h] ?? null) : null) },
      send: (reply, a) => reply.code(a.status).send(a.body),
    });
    app.get('/x', async (req, reply) => {
      const who = await gate(req, reply, 'queue.call');
      return who ? reply.send({ name: who.name }) : reply;
    });
    const call = (authorization?: string) =>
      app.inject({ url: '/x', headers: authorization ? { authorization } : {} });
    expect((await call()).statusCode).toBe(401);
    const refused = await call('Bearer supervisor');
    expect([refused.statusCode, refused.json<{ error: string }>().error]).toEqual([403, 'forbidden']);
    // A machine token (no roles) may do every desk action, as tokens always could.
    expect((await call('Bearer token')).json()).toEqual({ name: 't' });
    await app.close();
  });
});
