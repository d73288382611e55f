/**
 * 排队取号 with the hall's queue service (docs/sync-protocol.md, 5b): online, numbers come from the hall per
 * window per day (same idempotency key → same number) with people waiting; staff calling a ticket lowers the
 * count; with the hall gone, the kiosk falls back to its own offline range at once.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTRPCClient, httpLink } from '@trpc/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHallServer, type HallServer } from '../hall/index.js';
import { startKioskBackend, type KioskBackend } from './app.js';
import { loadKioskConfig } from './config.js';
import { createLogger } from './logger.js';
import type { AppRouter } from './rpc/router.js';
import { serviceDate } from './services/queue.js';
import { ROUND_THE_CLOCK_HOURS } from './testing/hours.js';

let dir: string;
let hall: HallServer | null;
let kiosk: KioskBackend;
let api: ReturnType<typeof createTRPCClient<AppRouter>>;

async function until<T>(fn: () => Promise<T | undefined>, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'zizhu-queue-'));
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
  const cookie = ((await fetch(kiosk.url)).headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  let tech = '';
  api = createTRPCClient<AppRouter>({
    links: [
      httpLink({
        url: `${kiosk.url}api`,
        headers: () => ({ cookie, ...(tech ? { 'x-tech-session': tech } : {}) }),
      }),
    ],
  });
  const login = await api.tech.login.mutate({ pin: '000000' });
  if (!login.ok) throw new Error(login.error.kind);
  tech = login.value.session;
  const { code } = await hall.service.createEnrollmentCode('611100');
  expect(await api.tech.syncEnroll.mutate({ code })).toMatchObject({ ok: true });
  await until(async () => ((await api.system.status.query()).network.state === 'online' ? true : undefined));
  for (let i = 0; i < 100 && !kiosk.devices.ticketPrinter(); i++) await new Promise((r) => setTimeout(r, 50));
}, 60_000);

afterAll(async () => {
  await kiosk?.close();
  await hall?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('queue service', () => {
  it('takes numbers from the hall with people waiting, idempotently', async () => {
    const a = await api.queue.issue.mutate({ window: 'ylsb', idempotencyKey: 'queue-wiring-a', lang: 'zh' });
    const b = await api.queue.issue.mutate({ window: 'ylsb', idempotencyKey: 'queue-wiring-b', lang: 'zh' });
    if (!a.ok || !b.ok) throw new Error(JSON.stringify([a, b]));
    expect(a.value.ticket).toMatchObject({ number: 'E001', source: 'hall', peopleWaiting: 0 });
    expect(b.value.ticket).toMatchObject({ number: 'E002', source: 'hall', peopleWaiting: 1 });
    const again = await api.queue.issue.mutate({
      window: 'ylsb',
      idempotencyKey: 'queue-wiring-a',
      lang: 'zh',
    });
    expect(again).toMatchObject({ ok: true, value: { reused: true, ticket: { number: 'E001' } } });
    expect(kiosk.devices.simulators().ticketPrinter?.receipts().at(-1)?.text).toContain('E002');
    // Online tickets are the hall's already: nothing for the outbox.
    expect(kiosk.db.prepare("SELECT count(*) FROM outbox WHERE kind = 'queue-ticket'").pluck().get()).toBe(0);
    expect(await api.queue.waiting.query()).toEqual({ ylsb: 2 });
  });

  it('counts down when staff call the next ticket', async () => {
    const token = await hall!.staff.createToken('窗口一', '611100');
    const res = await fetch(`${hall!.url}v1/staff/queue/ylsb/call`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ serviceDate: serviceDate(new Date(), 'Asia/Shanghai') }),
    });
    expect(await res.json()).toMatchObject({ number: 'E001', waiting: 1 });
    expect(await api.queue.waiting.query()).toEqual({ ylsb: 1 });
  });

  it('takes a priority number from the hall, called before the ordinary one waiting longer', async () => {
    const p = await api.queue.issue.mutate({
      window: 'ylsb',
      idempotencyKey: 'queue-wiring-p',
      lang: 'zh',
      priority: 'elderly',
    });
    expect(p).toMatchObject({
      ok: true,
      value: { ticket: { number: 'PE001', source: 'hall', priority: 'elderly', peopleWaiting: 0 } },
    });
    expect(await api.queue.waiting.query()).toEqual({ ylsb: 2 });
    const token = await hall!.staff.createToken('窗口一', '611100');
    const res = await fetch(`${hall!.url}v1/staff/queue/ylsb/call`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ serviceDate: serviceDate(new Date(), 'Asia/Shanghai') }),
    });
    // E002 was waiting first; the priority number is called before it.
    expect(await res.json()).toMatchObject({ number: 'PE001', priority: true, waiting: 1 });
  });

  it('falls back to the offline range when the hall is gone', async () => {
    await hall?.close();
    hall = null;
    await until(
      async () => ((await api.system.status.query()).network.state === 'offline' ? true : undefined),
      30_000,
    ).catch(() => undefined);
    const t = await api.queue.issue.mutate({ window: 'ylsb', idempotencyKey: 'queue-wiring-c', lang: 'zh' });
    expect(t).toMatchObject({
      ok: true,
      value: { ticket: { number: 'E900', source: 'offline', peopleWaiting: null } },
    });
    // A priority number offline: its own series in this kiosk's range, reported later.
    const p = await api.queue.issue.mutate({
      window: 'ylsb',
      idempotencyKey: 'queue-wiring-q',
      lang: 'zh',
      priority: 'disabled',
    });
    expect(p).toMatchObject({
      ok: true,
      value: { ticket: { number: 'PE900', source: 'offline', priority: 'disabled' } },
    });
    expect(await api.queue.waiting.query()).toBeNull();
  });
});
