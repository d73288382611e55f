/**
 * The kiosk backend and the reference hall together over loopback: a technician enrols the kiosk
 * through the console API, a queue ticket taken at the kiosk reaches the hall, and the home screen's
 * network status (system.status / the event stream) turns online with an empty backlog, and the
 * heartbeat reports the data directory's free space to the hall's fleet view.
 */
import { mkdtempSync, rmSync, statfsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTRPCClient, httpLink } from '@trpc/client';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHallServer, type HallServer } from '../hall/index.js';
import { staffCall } from '../hall/testing/staff-fixture.js';
import { startKioskBackend, type KioskBackend } from './app.js';
import { loadKioskConfig } from './config.js';
import { createLogger } from './logger.js';
import type { AppRouter } from './rpc/router.js';
import { TOKEN_COOKIE } from './server.js';
import { ROUND_THE_CLOCK_HOURS } from './testing/hours.js';

let dir: string;
let hall: HallServer;
let kiosk: KioskBackend;
let cookie: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'zizhu-syncwire-'));
  hall = await startHallServer({ host: '127.0.0.1', port: 0, dataDir: join(dir, 'hall') }, { silent: true });
  const cfg = loadKioskConfig({
    argv: [],
    env: {
      KIOSK_DATA_DIR: join(dir, 'kiosk'),
      // Not a test of opening hours: it must pass at any hour.
      KIOSK_QUEUE_HOURS: ROUND_THE_CLOCK_HOURS,
      KIOSK_PORT: '0',
      KIOSK_HALL_URL: hall.url,
      KIOSK_IDCARD: 'none',
      KIOSK_PRINTER: 'none',
      KIOSK_SCANNER: 'none',
      KIOSK_CODE_READER: 'none',
    },
  });
  if (!cfg.ok) throw new Error(cfg.error);
  kiosk = await startKioskBackend({ config: cfg.config, logger: createLogger('silent') });
  const res = await fetch(kiosk.url);
  cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  expect(cookie.startsWith(`${TOKEN_COOKIE}=`)).toBe(true);
}, 30_000);

afterAll(async () => {
  await kiosk?.close();
  await hall?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function until<T>(fn: () => Promise<T | undefined>, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('kiosk backend ↔ hall', () => {
  it('enrols from the console, pushes a queue ticket, and shows the network online', async () => {
    let session = '';
    const api = createTRPCClient<AppRouter>({
      links: [
        httpLink({
          url: `${kiosk.url}api`,
          headers: () => ({ cookie, ...(session ? { 'x-tech-session': session } : {}) }),
        }),
      ],
    });
    expect((await api.system.status.query()).network).toEqual({ state: 'not-enrolled' });
    const login = await api.tech.login.mutate({ pin: '000000' });
    if (!login.ok) throw new Error(login.error.kind);
    session = login.value.session;

    const { code } = await hall.service.createEnrollmentCode('611100');
    const enrolled = await api.tech.syncEnroll.mutate({ code });
    expect(enrolled).toMatchObject({ ok: true });

    // A ticket needs a ticket printer: use the simulator for this one device.
    await kiosk.devices.reconfigure('ticketPrinter', 'sim:');
    const ticket = await api.queue.issue.mutate({
      window: 'ylsb',
      idempotencyKey: 'sync-wiring-1',
      lang: 'zh',
    });
    if (!ticket.ok) throw new Error(JSON.stringify(ticket.error));

    const online = await until(async () => {
      const s = await api.system.status.query();
      return s.network.state === 'online' && s.network.backlog === 0 ? s.network : undefined;
    });
    expect(online.state).toBe('online');
    expect(await api.tech.syncStatus.query()).toMatchObject({ backlog: 0, online: true, lastError: null });
    // The code is spent: enrolling again with it is refused and recorded. (After the first cycle:
    // with batch sync that cycle is one request and could end before the refusal, or after it.)
    expect(await api.tech.syncEnroll.mutate({ code })).toMatchObject({ ok: false });
    expect((await api.tech.syncStatus.query()).lastError).toMatch(/code-used/);

    const hallDb = new Database(join(dir, 'hall', 'hall.db'), { readonly: true });
    try {
      // Online the number comes from the hall's queue service; from the offline range it is pushed later.
      const table = ticket.value.ticket.source === 'hall' ? 'queue_numbers' : 'tickets';
      expect(
        hallDb.prepare(`SELECT number FROM ${table} WHERE id = ?`).pluck().get(ticket.value.ticket.id),
      ).toBe(ticket.value.ticket.number);
    } finally {
      hallDb.close();
    }

    // The heartbeat after the cycle carried the data directory's free space to the fleet view.
    const token = await hall.staff.createToken('王科员', '611100');
    const reported = await until(async () => {
      const r = await staffCall(hall, token, 'GET', '/v1/staff/fleet');
      const k = (
        r.body.kiosks as { storage: { freeBytes: number; totalBytes: number; low: boolean } | null }[]
      )[0];
      return k?.storage ?? undefined;
    });
    const fs = statfsSync(join(dir, 'kiosk'));
    expect(reported.totalBytes).toBe(fs.blocks * fs.bsize);
    expect(reported.freeBytes).toBeGreaterThan(0);
    expect(reported.freeBytes).toBeLessThanOrEqual(reported.totalBytes);
  }, 40_000);
});
