/**
 * 呼叫帮助 on the hall over real HTTP (docs/sync-protocol.md, section 5d): kiosks call through the
 * real signed transport (src/sync/help-calls.ts), staff with their bearer token. A request reaches
 * only its jurisdiction's desk; another kiosk can neither read nor cancel it; unsigned requests are
 * refused; the live stream says who is on duty; the signalling is relayed both ways.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SCHEMA_VERSION } from '../shared/wire/index.js';
import { enrolWithService } from './testing/enrol.js';
import type { StaffHelpEvent } from '../shared/help.js';
import { createHelpCalls, createTransport, type HelpCalls } from '../sync/index.js';
import { startHallServer, type HallServer } from './server.js';

let dir: string;
let hall: HallServer;
const open: AbortController[] = [];
const silent = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  debug: () => undefined,
};

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'zizhu-hall-help-'));
  hall = await startHallServer({ host: '127.0.0.1', port: 0, dataDir: dir }, { silent: true });
});
afterEach(async () => {
  for (const c of open.splice(0)) c.abort();
  await hall.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Polls `ok` every 20 ms for at most 5 s. */
async function until(ok: () => boolean): Promise<boolean> {
  for (let i = 0; i < 250 && !ok(); i++) await new Promise((r) => setTimeout(r, 20));
  return ok();
}

async function kiosk(jurisdiction: string): Promise<{ id: string; help: HelpCalls }> {
  const e = await enrolWithService(hall.service, jurisdiction);
  const transport = createTransport({
    hallUrl: hall.url,
    credentials: { kioskId: e.kioskId, secret: e.secret },
    clock: () => new Date(),
    logger: silent,
  });
  return { id: e.kioskId, help: createHelpCalls({ transport }) };
}

const staffCall = async (token: string, method: string, path: string, body?: unknown) => {
  const res = await fetch(new URL(path, hall.url), {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};

/** Opens the staff event stream and collects its events. */
async function staffStream(token: string): Promise<{ events: StaffHelpEvent[]; next: () => Promise<void> }> {
  const abort = new AbortController();
  open.push(abort);
  const res = await fetch(new URL('/v1/staff/help/events', hall.url), {
    headers: { authorization: `Bearer ${token}` },
    signal: abort.signal,
  });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
  const reader = res.body?.getReader();
  if (!reader) throw new Error('no body');
  const events: StaffHelpEvent[] = [];
  let buffer = '';
  const decoder = new TextDecoder();
  /** Reads until at least one more event arrived. */
  const next = async () => {
    const before = events.length;
    while (events.length === before) {
      const { value, done } = await reader.read();
      if (done) throw new Error('stream ended');
      buffer += decoder.decode(value, { stream: true });
      let at: number;
      while ((at = buffer.indexOf('\n\n')) >= 0) {
        const chunk = buffer.slice(0, at);
        buffer = buffer.slice(at + 2);
        const line = chunk.split('\n').find((l) => l.startsWith('data: '));
        if (line) events.push(JSON.parse(line.slice(6)) as StaffHelpEvent);
      }
    }
  };
  await next();
  return { events, next };
}

const body = (over: Partial<{ consent: boolean; residentName: string }> = {}) => ({
  id: randomUUID(),
  step: 'apply',
  since: new Date().toISOString(),
  consent: false,
  ...over,
});

describe('help requests', () => {
  it('reach the desk of the kiosk’s jurisdiction only, live, and say who is on duty', async () => {
    const k = await kiosk('610113');
    const token = await hall.staff.createToken('王科员', '610113');
    const outsider = await hall.staff.createToken('李科员', '610104');

    // Nobody at the desk yet: the request is recorded, and the kiosk learns nobody is on duty.
    const first = await k.help.request(body());
    expect(first).toMatchObject({ ok: true, value: { state: 'waiting', onDuty: false, staff: null } });

    const desk = await staffStream(token);
    expect(desk.events[0]).toMatchObject({ type: 'requests', requests: [{ kioskId: k.id, step: 'apply' }] });
    const other = await staffStream(outsider);
    expect(other.events[0]).toEqual({ type: 'requests', requests: [] });

    const req = body({ consent: true, residentName: '张*明' });
    const second = await k.help.request(req);
    expect(second).toMatchObject({ ok: true, value: { onDuty: true } });
    await desk.next();
    expect(desk.events.at(-1)).toMatchObject({
      type: 'request',
      request: { id: req.id, state: 'waiting', residentName: '张*明', kioskId: k.id },
    });
    // The same request again (a retry) changes nothing and is not announced twice.
    expect(await k.help.request(req)).toMatchObject({ ok: true, value: { id: req.id, state: 'waiting' } });

    // Another jurisdiction's staff can neither list, answer nor close it.
    const listed = await staffCall(outsider, 'GET', '/v1/staff/help');
    expect(listed.body).toEqual({ jurisdiction: '610104', requests: [] });
    expect((await staffCall(outsider, 'POST', `/v1/staff/help/${req.id}/answer`)).status).toBe(404);
    expect((await staffCall(outsider, 'POST', `/v1/staff/help/${req.id}/close`)).status).toBe(404);
    expect(
      (await staffCall(outsider, 'POST', `/v1/staff/help/${req.id}/signals`, { signal: { type: 'hangup' } }))
        .status,
    ).toBe(404);
    expect(other.events).toHaveLength(1);
  });

  it('keep the name out unless the resident agreed', async () => {
    const k = await kiosk('610113');
    const refused = await k.help.request({ ...body(), residentName: '张*明' });
    expect(refused).toEqual({ ok: false, error: { kind: 'refused', status: 400 } });
  });

  it('belong to their kiosk: another kiosk cannot read, cancel or signal them', async () => {
    const mine = await kiosk('610113');
    const theirs = await kiosk('610113');
    const req = body();
    expect((await mine.help.request(req)).ok).toBe(true);
    expect(await theirs.help.status(req.id)).toEqual({ ok: false, error: { kind: 'refused', status: 404 } });
    expect(await theirs.help.cancel(req.id)).toEqual({ ok: false, error: { kind: 'refused', status: 404 } });
    expect(await theirs.help.signal(req.id, { type: 'hangup' })).toEqual({
      ok: false,
      error: { kind: 'refused', status: 404 },
    });
    expect(await theirs.help.signals(req.id, 0, 0)).toEqual({
      ok: false,
      error: { kind: 'refused', status: 404 },
    });
    // Nor take over its id.
    expect(await theirs.help.request(req)).toEqual({ ok: false, error: { kind: 'refused', status: 400 } });
    expect(await mine.help.status(req.id)).toMatchObject({ ok: true, value: { state: 'waiting' } });
    expect(await mine.help.cancel(req.id)).toMatchObject({ ok: true, value: { state: 'cancelled' } });
  });

  it('refuse unsigned and wrongly signed kiosk requests and staff calls without a token', async () => {
    const req = body();
    const unsigned = await fetch(new URL('/v1/help/requests', hall.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-zizhu-schema-version': String(SCHEMA_VERSION) },
      body: JSON.stringify(req),
    });
    expect(unsigned.status).toBe(401);
    const k = await kiosk('610113');
    const forged = createHelpCalls({
      transport: createTransport({
        hallUrl: hall.url,
        credentials: { kioskId: k.id, secret: 'not-the-secret-at-all' },
        clock: () => new Date(),
        logger: silent,
      }),
    });
    expect(await forged.request(req)).toEqual({ ok: false, error: { kind: 'refused', status: 401 } });
    for (const path of ['/v1/staff/help', '/v1/staff/help/events']) {
      expect((await fetch(new URL(path, hall.url))).status).toBe(401);
    }
    expect(
      (await fetch(new URL(`/v1/staff/help/${req.id}/answer`, hall.url), { method: 'POST' })).status,
    ).toBe(401);
  });

  it('relay the call’s signalling both ways once answered, and the hang-up', async () => {
    const k = await kiosk('610113');
    const token = await hall.staff.createToken('王科员', '610113');
    const desk = await staffStream(token);
    const req = body();
    await k.help.request(req);
    await desk.next();

    // Signals before the answer are refused.
    expect(await k.help.signal(req.id, { type: 'hangup' })).toEqual({
      ok: false,
      error: { kind: 'refused', status: 409 },
    });
    // A wait the kiosk gives up (it left the call screen) is let go at once, not after its 20 s.
    const gaveUp = new AbortController();
    const given = k.help.signals(req.id, 0, 20_000, gaveUp.signal);
    expect(await until(() => hall.help.signalsWaiting() === 1)).toBe(true);
    gaveUp.abort();
    expect((await given).ok).toBe(false);
    expect(await until(() => hall.help.signalsWaiting() === 0)).toBe(true);
    // The kiosk waits (long-poll) while staff answer and send the offer.
    const waiting = k.help.signals(req.id, 0, 10_000);
    const answered = await staffCall(token, 'POST', `/v1/staff/help/${req.id}/answer`);
    expect(answered).toMatchObject({ status: 200, body: { state: 'answered', staff: '王科员' } });
    expect(await k.help.status(req.id)).toMatchObject({
      ok: true,
      value: { state: 'answered', staff: '王科员' },
    });
    expect((await staffCall(token, 'POST', `/v1/staff/help/${req.id}/answer`)).status).toBe(409);
    const offer = { type: 'offer', sdp: 'v=0 offer' };
    expect(await staffCall(token, 'POST', `/v1/staff/help/${req.id}/signals`, { signal: offer })).toEqual({
      status: 200,
      body: { seq: 1 },
    });
    // The answer itself wakes the waiting kiosk (it shows "connecting"); the offer comes next.
    expect(await waiting).toEqual({ ok: true, value: { state: 'answered', signals: [] } });
    expect(await k.help.signals(req.id, 0, 5000)).toEqual({
      ok: true,
      value: { state: 'answered', signals: [{ seq: 1, signal: offer }] },
    });

    // The kiosk answers; the desk's stream carries it.
    expect(await k.help.signal(req.id, { type: 'answer', sdp: 'v=0 answer' })).toEqual({
      ok: true,
      value: 1,
    });
    while (!desk.events.some((e) => e.type === 'signal')) await desk.next();
    expect(desk.events.find((e) => e.type === 'signal')).toEqual({
      type: 'signal',
      requestId: req.id,
      seq: 1,
      signal: { type: 'answer', sdp: 'v=0 answer' },
    });
    // A malformed signal is refused.
    expect(
      (await staffCall(token, 'POST', `/v1/staff/help/${req.id}/signals`, { signal: { type: 'x' } })).status,
    ).toBe(400);

    // Staff close: the kiosk's next poll carries the hang-up and the closed state.
    expect((await staffCall(token, 'POST', `/v1/staff/help/${req.id}/close`)).body).toMatchObject({
      state: 'closed',
    });
    const last = await k.help.signals(req.id, 1, 5000);
    expect(last).toEqual({
      ok: true,
      value: { state: 'closed', signals: [{ seq: 2, signal: { type: 'hangup' } }] },
    });
    expect((await staffCall(token, 'GET', '/v1/staff/help')).body).toMatchObject({ requests: [] });
  });
});
