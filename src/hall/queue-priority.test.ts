/**
 * Priority tickets (优先号, src/shared/queue-ticket.ts) through the hall's HTTP API: a kiosk takes
 * ordinary and priority numbers online (separate series, PA001…), reports a priority ticket from its
 * offline range through push, and staff calling the next number of the window get the priority
 * numbers first (earliest first, online or offline), then the ordinary ones in their order; other
 * windows and other days are untouched. An old kiosk's request (no priority field) still works.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixtureId, sampleTicket } from '../shared/testing/wire-samples.js';
import { startHallServer, type HallServer } from './server.js';
import { enrolRequest, openEnrolAnswer } from './testing/enrol.js';

const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');
const DAY = '2026-03-02';

let dir: string;
let hall: HallServer;
let now: number;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'zizhu-hall-priority-'));
  now = Date.parse('2026-03-02T01:00:00Z');
  hall = await startHallServer(
    { host: '127.0.0.1', port: 0, dataDir: dir },
    { silent: true, clock: () => new Date(now) },
  );
});
afterEach(async () => {
  await hall.close();
  rmSync(dir, { recursive: true, force: true });
});

type Kiosk = { kioskId: string; secret: string };

/** A signed kiosk call (docs/sync-protocol.md 1.1), written from the document, not the kiosk's code. */
async function call(k: Kiosk, method: string, path: string, payload?: unknown) {
  const body = payload === undefined ? Buffer.alloc(0) : Buffer.from(JSON.stringify(payload));
  const ts = String(now);
  const nonce = randomBytes(16).toString('hex');
  const sig = createHmac('sha256', k.secret)
    .update(`${method}\n${path}\n${ts}\n${nonce}\n${sha(body)}`)
    .digest('hex');
  const res = await fetch(new URL(path.slice(1), hall.url), {
    method,
    headers: {
      'x-zizhu-kiosk-id': k.kioskId,
      'x-zizhu-timestamp': ts,
      'x-zizhu-nonce': nonce,
      'x-zizhu-schema-version': '2',
      'x-zizhu-signature': sig,
      ...(payload === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(payload === undefined ? {} : { body: new Uint8Array(body) }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function enroll(): Promise<Kiosk> {
  const { code } = await hall.service.createEnrollmentCode('610113');
  const { request, keyPair } = enrolRequest(code, 1);
  const res = await fetch(new URL('v1/enroll', hall.url), {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-zizhu-schema-version': '2' },
    body: JSON.stringify(request),
  });
  expect(res.status).toBe(200);
  return openEnrolAnswer(code, keyPair, await res.json());
}

const take = (k: Kiosk, name: string, extra: Record<string, unknown> = {}) =>
  call(k, 'POST', '/v1/queue/tickets', {
    id: fixtureId(name),
    idempotencyKey: `take-key-${name}`,
    window: 'ylsb',
    prefix: 'E',
    serviceDate: DAY,
    ...extra,
  });

async function callNext(window: string, serviceDate = DAY) {
  const token = await hall.staff.createToken('窗口五', '610113');
  const res = await fetch(new URL(`v1/staff/queue/${window}/call`, hall.url), {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ serviceDate }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const tick = () => {
  now += 60_000;
};

describe('priority tickets at the hall', () => {
  it('numbers priority tickets in their own series and calls them first', async () => {
    const k = await enroll();
    const a = await take(k, 'a'); // an old kiosk: no priority field at all
    tick();
    const b = await take(k, 'b', { priority: undefined });
    tick();
    const p1 = await take(k, 'p1', { priority: 'elderly' });
    tick();
    const p2 = await take(k, 'p2', { priority: 'pregnant' });
    tick();
    expect([a.body.number, b.body.number, p1.body.number, p2.body.number]).toEqual([
      'E001',
      'E002',
      'PE001',
      'PE002',
    ]);
    expect(a.body).not.toHaveProperty('priority');
    expect(p1.body).toMatchObject({ priority: 'elderly', peopleWaiting: 0 });
    // A priority number's people ahead are the priority numbers before it, not the whole queue.
    expect(p2.body).toMatchObject({ priority: 'pregnant', peopleWaiting: 1 });
    // The same key gives the same priority number back.
    const again = await take(k, 'p1', { priority: 'elderly' });
    expect(again.body).toMatchObject({ number: 'PE001', priority: 'elderly', reused: true });

    // A priority ticket the kiosk numbered offline (its own range) arrives through push.
    const offline = sampleTicket({
      id: fixtureId('off'),
      idempotencyKey: 'ticket-key-off',
      window: 'ylsb',
      number: 'PE900',
      serviceDate: DAY,
      priority: 'disabled',
    });
    const text = JSON.stringify(offline);
    const pushed = await call(k, 'POST', '/v1/push', {
      entries: [{ seq: 1, kind: 'queue-ticket', payload: text, payloadHash: sha(text) }],
    });
    expect(pushed.status).toBe(200);
    expect(pushed.body).toMatchObject({ results: [{ seq: 1, status: 'applied' }] });
    tick();
    const c = await take(k, 'c');
    expect(c.body.number).toBe('E003');
    // Another window's numbers are not this window's business.
    const other = await call(k, 'POST', '/v1/queue/tickets', {
      id: fixtureId('z'),
      idempotencyKey: 'take-key-z',
      window: 'zzlb',
      prefix: 'A',
      serviceDate: DAY,
      priority: 'elderly',
    });
    expect(other.body.number).toBe('PA001');

    const called: unknown[] = [];
    for (let i = 0; i < 6; i++) {
      tick();
      const r = await callNext('ylsb');
      expect(r.status).toBe(200);
      called.push([r.body.number, r.body.priority]);
    }
    expect(called).toEqual([
      ['PE001', true],
      ['PE002', true],
      ['PE900', true],
      ['E001', false],
      ['E002', false],
      ['E003', false],
    ]);
    expect((await callNext('ylsb')).status).toBe(404);
    // zzlb's priority number is still waiting; tomorrow's queue is empty.
    expect((await callNext('zzlb', '2026-03-03')).status).toBe(404);
    expect((await callNext('zzlb')).body).toMatchObject({ number: 'PA001', priority: true });
  });

  it('refuses an unknown priority kind and a priority entry without a P-series number', async () => {
    const k = await enroll();
    const bad = await take(k, 'x', { priority: 'vip' });
    expect(bad.status).toBe(400);
    const wrong = sampleTicket({ id: fixtureId('w'), number: 'E901', window: 'ylsb', priority: 'elderly' });
    const text = JSON.stringify(wrong);
    const pushed = await call(k, 'POST', '/v1/push', {
      entries: [{ seq: 1, kind: 'queue-ticket', payload: text, payloadHash: sha(text) }],
    });
    expect(JSON.stringify(pushed.body)).toMatch(/P-series/);
  });
});
