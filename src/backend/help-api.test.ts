/**
 * 呼叫帮助 through the kiosk's API with a real hall over loopback: unreachable before enrolment,
 * nobody on duty while no staff member has the desk open, then a request that reaches the desk
 * (step, no name without consent), is answered (connected, with the staff member's name), carries
 * the call's signalling both ways (desk → kiosk event stream, kiosk → desk stream) and ends when
 * the desk hangs up; and a request nobody answers in time turns into the hotline offer.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTRPCClient, httpLink } from '@trpc/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHallServer, type HallServer } from '../hall/index.js';
import type { KioskHelpCall, StaffHelpEvent } from '../shared/help.js';
import { startKioskBackend, type KioskBackend } from './app.js';
import { loadKioskConfig } from './config.js';
import { createLogger } from './logger.js';
import type { AppRouter } from './rpc/router.js';
import { withinHours } from './services/help-call.js';

let dir: string;
let hall: HallServer;
let kiosk: KioskBackend;
let cookie: string;
let api: ReturnType<typeof createTRPCClient<AppRouter>>;
const aborts: AbortController[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'zizhu-help-api-'));
  hall = await startHallServer({ host: '127.0.0.1', port: 0, dataDir: join(dir, 'hall') }, { silent: true });
  const configPath = join(dir, 'kiosk.json');
  writeFileSync(configPath, JSON.stringify({ help: { hotline: '12345', answerSeconds: 5 } }));
  const cfg = loadKioskConfig({
    argv: [],
    env: {
      KIOSK_HALL_URL: hall.url,
      KIOSK_CONFIG: configPath,
      KIOSK_DATA_DIR: join(dir, 'kiosk'),
      KIOSK_PORT: '0',
      KIOSK_IDCARD: 'none',
      KIOSK_PRINTER: 'none',
      KIOSK_SCANNER: 'none',
      KIOSK_CODE_READER: 'none',
    },
  });
  if (!cfg.ok) throw new Error(cfg.error);
  kiosk = await startKioskBackend({ config: cfg.config, logger: createLogger('silent') });
  cookie = ((await fetch(kiosk.url)).headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  let session = '';
  api = createTRPCClient<AppRouter>({
    links: [
      httpLink({
        url: `${kiosk.url}api`,
        headers: () => ({ cookie, ...(session ? { 'x-tech-session': session } : {}) }),
      }),
    ],
  });
  const login = await api.tech.login.mutate({ pin: '000000' });
  if (!login.ok) throw new Error(login.error.kind);
  session = login.value.session;
}, 30_000);

afterAll(async () => {
  for (const a of aborts) a.abort();
  await kiosk?.close();
  await hall?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function until<T>(fn: () => Promise<T | undefined> | T | undefined, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Reads a server-sent event stream into `lines` (the data of each event, as text). */
async function readStream(url: string, headers: Record<string, string>): Promise<string[]> {
  const abort = new AbortController();
  aborts.push(abort);
  const res = await fetch(url, { headers, signal: abort.signal });
  expect(res.status).toBe(200);
  const reader = res.body?.getReader();
  if (!reader) throw new Error('no body');
  const lines: string[] = [];
  const decoder = new TextDecoder();
  void (async () => {
    let buffer = '';
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += decoder.decode(value, { stream: true });
        const parts = buffer.split('\n');
        buffer = parts.pop() ?? '';
        for (const p of parts) if (p.startsWith('data: ')) lines.push(p.slice(6));
      }
    } catch {
      // aborted at the end of the test
    }
  })();
  return lines;
}

const phase = async (): Promise<KioskHelpCall> => api.help.status.query();

describe('help.* (呼叫帮助)', () => {
  it('says the hall is unreachable before enrolment, and offers the hotline', async () => {
    const r = await api.help.request.mutate({ step: 'home', consent: false });
    expect(r).toEqual({
      phase: 'unavailable',
      reason: 'hall-unreachable',
      fallback: { hotline: '12345', hours: [] },
    });
    expect(await api.help.dismiss.mutate()).toEqual({ phase: 'idle' });
  });

  it('goes from nobody on duty to a call answered, relayed both ways and hung up by the desk', async () => {
    const { code } = await hall.service.createEnrollmentCode('611100');
    expect(await api.tech.syncEnroll.mutate({ code })).toMatchObject({ ok: true });

    // Nobody has the desk open: said at once; the request does not linger on the desk.
    expect(await api.help.request.mutate({ step: 'apply', consent: false })).toMatchObject({
      phase: 'unavailable',
      reason: 'nobody-on-duty',
    });
    await api.help.dismiss.mutate();

    const token = await hall.staff.createToken('王科员', '611100');
    const desk = await readStream(new URL('/v1/staff/help/events', hall.url).href, {
      authorization: `Bearer ${token}`,
    });
    const deskEvents = () => desk.map((l) => JSON.parse(l) as StaffHelpEvent);
    await until(() => (desk.length > 0 ? true : undefined));
    expect(deskEvents()[0]).toEqual({ type: 'requests', requests: [] });
    const kioskEvents = await readStream(`${kiosk.url}api/events.stream`, { cookie });

    const waiting = await api.help.request.mutate({ step: 'apply', consent: false });
    if (waiting.phase !== 'waiting') throw new Error(JSON.stringify(waiting));
    expect(waiting.answerSeconds).toBe(5);
    const seen = await until(() =>
      deskEvents().find((e) => e.type === 'request' && e.request.id === waiting.id),
    );
    expect(seen).toMatchObject({ request: { step: 'apply', residentName: null, state: 'waiting' } });
    // A second tap while waiting is the same request.
    expect(await api.help.request.mutate({ step: 'apply', consent: true })).toEqual(waiting);

    const answer = await fetch(new URL(`/v1/staff/help/${waiting.id}/answer`, hall.url), {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(answer.status).toBe(200);
    expect(await until(async () => ((await phase()).phase === 'connected' ? phase() : undefined))).toEqual({
      phase: 'connected',
      id: waiting.id,
      staff: '王科员',
    });
    expect(kioskEvents.some((l) => l.includes('"type":"help"') && l.includes('"connected"'))).toBe(true);

    // Desk → kiosk: the offer arrives on the kiosk's event stream.
    await fetch(new URL(`/v1/staff/help/${waiting.id}/signals`, hall.url), {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ signal: { type: 'offer', sdp: 'v=0 desk-offer' } }),
    });
    await until(() => (kioskEvents.some((l) => l.includes('desk-offer')) ? true : undefined));
    expect(kioskEvents.find((l) => l.includes('desk-offer'))).toContain('"type":"help-signal"');
    // Kiosk → desk: the answer reaches the desk's stream.
    expect(await api.help.signal.mutate({ signal: { type: 'answer', sdp: 'v=0 kiosk-answer' } })).toEqual({
      delivered: true,
    });
    await until(() =>
      deskEvents().find(
        (e) => e.type === 'signal' && e.signal.type === 'answer' && e.signal.sdp === 'v=0 kiosk-answer',
      ),
    );

    await fetch(new URL(`/v1/staff/help/${waiting.id}/close`, hall.url), {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(await until(async () => ((await phase()).phase === 'ended' ? phase() : undefined))).toEqual({
      phase: 'ended',
      by: 'staff',
    });
    expect(await api.help.signal.mutate({ signal: { type: 'hangup' } })).toEqual({ delivered: false });
    await api.help.dismiss.mutate();

    // Nobody answers within answerSeconds: the hotline instead, and the desk's request is cancelled.
    const unanswered = await api.help.request.mutate({ step: 'queue', consent: false });
    if (unanswered.phase !== 'waiting') throw new Error(JSON.stringify(unanswered));
    const gaveUp = await until(
      async () => ((await phase()).phase === 'unavailable' ? phase() : undefined),
      12_000,
    );
    expect(gaveUp).toEqual({
      phase: 'unavailable',
      reason: 'no-answer',
      fallback: { hotline: '12345', hours: [] },
    });
    await until(() =>
      deskEvents().find(
        (e) => e.type === 'request' && e.request.id === unanswered.id && e.request.state === 'cancelled',
      ),
    );
  }, 40_000);
});

describe('withinHours', () => {
  const weekdays = [{ days: [1, 2, 3, 4, 5], from: '09:00', to: '17:30' }];
  it('follows the hall’s zone, the weekday and the end of the hours', () => {
    // 2026-12-04 is a Friday; 01:00Z is 09:00 in Shanghai.
    expect(withinHours(new Date('2026-12-04T01:00:00Z'), weekdays, 'Asia/Shanghai')).toBe(true);
    expect(withinHours(new Date('2026-12-04T00:59:00Z'), weekdays, 'Asia/Shanghai')).toBe(false);
    expect(withinHours(new Date('2026-12-04T09:29:00Z'), weekdays, 'Asia/Shanghai')).toBe(true);
    expect(withinHours(new Date('2026-12-04T09:30:00Z'), weekdays, 'Asia/Shanghai')).toBe(false);
    // Friday 21:26 in Shanghai (the example), and a Saturday morning.
    expect(withinHours(new Date('2026-12-04T13:26:00Z'), weekdays, 'Asia/Shanghai')).toBe(false);
    expect(withinHours(new Date('2026-12-05T02:00:00Z'), weekdays, 'Asia/Shanghai')).toBe(false);
    expect(withinHours(new Date('2026-12-05T02:00:00Z'), [], 'Asia/Shanghai')).toBe(true);
  });
});
