import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { printer as printers } from '../../devices/index.js';
import { createLogger } from '../logger.js';
import { openDatabase, type Db } from '../store/db.js';
import { replaceCatalog } from './catalog.js';
import { fixtureCatalog } from './catalog-fixture.js';
import { createQueueService, loadWindowHours, serviceDate } from './queue.js';
import { roundTheClockHours, seedCalendar, seedHours } from '../testing/hours.js';
import type { OpeningHours } from '../../shared/opening-hours.js';

let dir: string;
let db: Db;
let now: Date;
let fake: printers.FakePrinter;
let fitted: boolean;

const calendar = seedCalendar();
const service = (
  range = { offlineRangeStart: 900, offlineRangeEnd: 999 },
  hours: OpeningHours = seedHours(),
) =>
  createQueueService({
    db,
    clock: () => now,
    logger: createLogger('silent'),
    config: { ...range, timeZone: 'Asia/Shanghai', progressUrl: 'https://hall.example/zwfw/' },
    hallName: () => ({ zh: '西咸新区政务服务中心', en: 'Xixian Service Centre' }),
    ticketPrinter: () => (fitted ? fake : null),
    hours: () => hours,
    calendar: () => calendar,
  });

const textOf = (doc: printers.PrintDocument): string => JSON.stringify(doc.blocks);

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'zizhu-queue-'));
  const r = openDatabase(join(dir, 'k.db'));
  if (!r.ok) throw new Error(r.message);
  db = r.db;
  replaceCatalog(db, fixtureCatalog(), 'seed', new Date());
  now = new Date('2026-11-26T01:00:00Z'); // 09:00 in Xi'an
  fake = printers.createFakePrinter();
  fitted = true;
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('queue service', () => {
  it('issues numbers from the offline range per window, prints them, and writes the outbox in the same commit', async () => {
    const q = service();
    const a = await q.issue({ window: 'zzlb', idempotencyKey: 'k1', lang: 'zh' });
    const b = await q.issue({ window: 'zzlb', idempotencyKey: 'k2', lang: 'zh' });
    const c = await q.issue({ window: 'ylsb', idempotencyKey: 'k3', lang: 'en' });
    if (!a.ok || !b.ok || !c.ok) throw new Error('not issued');
    const [ta, tb, tc] = [a.value.ticket, b.value.ticket, c.value.ticket];
    expect([ta.number, tb.number, tc.number]).toEqual(['A900', 'A901', 'E900']);
    expect(ta).toMatchObject({
      source: 'offline',
      peopleWaiting: null,
      printState: 'printed',
      serviceDate: '2026-11-26',
    });
    expect(fake.printed()).toHaveLength(3);
    expect(textOf(fake.printed()[0]!)).toContain('A900');
    // The QR is a page a phone can open (the hall's public queue page), not an internal id.
    const qr = fake.printed()[0]!.blocks.find((b) => b.kind === 'qr');
    expect(qr?.kind === 'qr' ? qr.data : null).toMatch(
      /^https:\/\/hall\.example\/zwfw\/queue\?d=2026-11-26&w=\w+&n=A900$/,
    );
    expect(textOf(fake.printed()[0]!)).toContain('证照联办');
    expect(textOf(fake.printed()[2]!)).toContain('Pensions');
    const outbox = db
      .prepare(
        "SELECT entity_id, zk_open(payload) AS payload FROM outbox WHERE kind = 'queue-ticket' ORDER BY seq",
      )
      .all() as { entity_id: string; payload: string }[];
    expect(outbox.map((o) => o.entity_id)).toEqual([ta.id, tb.id, tc.id]);
    expect(JSON.parse(outbox[0]!.payload)).toMatchObject({
      number: 'A900',
      source: 'offline',
      idempotencyKey: 'k1',
    });
  });

  it('checks the printer before taking a number: paper out takes none', async () => {
    const q = service();
    fake.setStatus('paper-out');
    const r = await q.issue({ window: 'zzlb', idempotencyKey: 'k1', lang: 'zh' });
    expect(r).toMatchObject({ ok: false, error: { kind: 'printer-unavailable', status: 'paper-out' } });
    expect(db.prepare('SELECT count(*) FROM queue_tickets').pluck().get()).toBe(0);
    fake.setStatus('ready');
    const again = await q.issue({ window: 'zzlb', idempotencyKey: 'k1', lang: 'zh' });
    expect(again.ok && again.value.ticket.number).toBe('A900');
  });

  it('reprints the same ticket when a print fails, never taking a second number', async () => {
    const q = service();
    fake.failNextPrint({
      kind: 'interrupted',
      cause: 'transport',
      bytesSent: 10,
      bytesTotal: 500,
      detail: 'link lost',
      status: null,
    });
    const first = await q.issue({ window: 'zzlb', idempotencyKey: 'tap-1', lang: 'zh' });
    expect(first).toMatchObject({ ok: true, value: { ticket: { number: 'A900', printState: 'failed' } } });
    const retry = await q.issue({ window: 'zzlb', idempotencyKey: 'tap-1', lang: 'zh' });
    expect(retry).toMatchObject({
      ok: true,
      value: { reused: true, ticket: { number: 'A900', printState: 'printed' } },
    });
    const double = await q.issue({ window: 'zzlb', idempotencyKey: 'tap-1', lang: 'zh' });
    expect(double).toMatchObject({ ok: true, value: { reused: true, ticket: { number: 'A900' } } });
    expect(fake.printed()).toHaveLength(1);
    expect(db.prepare('SELECT count(*) FROM queue_tickets').pluck().get()).toBe(1);
    expect(
      db.prepare("SELECT count(*) FROM audit_log WHERE action = 'queue-ticket-print-failed'").pluck().get(),
    ).toBe(1);
  });

  it('resets numbers at local midnight and reports an exhausted range', async () => {
    // A hall staffed round the clock: midnight itself is inside the hours.
    const q = service({ offlineRangeStart: 1, offlineRangeEnd: 2 }, roundTheClockHours());
    await q.issue({ window: 'zzlb', idempotencyKey: 'a', lang: 'zh' });
    await q.issue({ window: 'zzlb', idempotencyKey: 'b', lang: 'zh' });
    expect(await q.issue({ window: 'zzlb', idempotencyKey: 'c', lang: 'zh' })).toMatchObject({
      ok: false,
      error: { kind: 'range-exhausted' },
    });
    now = new Date('2026-11-26T16:00:01Z'); // 00:00:01 on the 27th in Xi'an
    const next = await q.issue({ window: 'zzlb', idempotencyKey: 'd', lang: 'zh' });
    expect(next).toMatchObject({
      ok: true,
      value: { ticket: { number: 'A001', serviceDate: '2026-11-27' } },
    });
    expect(q.today().map((t) => t.number)).toEqual(['A001']);
  });

  it('refuses unknown windows and a kiosk without a ticket printer', async () => {
    // @ts-expect-error — not a window code
    expect(await service().issue({ window: 'xx', idempotencyKey: 'a', lang: 'zh' })).toMatchObject({
      ok: false,
      error: { kind: 'unknown-window' },
    });
    fitted = false;
    expect(await service().issue({ window: 'zzlb', idempotencyKey: 'a', lang: 'zh' })).toMatchObject({
      ok: false,
      error: { kind: 'no-ticket-printer' },
    });
  });

  it('computes the service day in the hall time zone', () => {
    expect(serviceDate(new Date('2026-11-26T15:59:59Z'), 'Asia/Shanghai')).toBe('2026-11-26');
    expect(serviceDate(new Date('2026-11-26T16:00:00Z'), 'Asia/Shanghai')).toBe('2026-11-27');
  });

  it('issues no ticket outside opening hours and says when the window opens next', async () => {
    now = new Date('2026-12-04T13:26:00Z'); // Friday 21:26 in Xi'an
    const q = service();
    const r = await q.issue({ window: 'zzlb', idempotencyKey: 'late', lang: 'zh' });
    expect(r).toMatchObject({
      ok: false,
      error: {
        kind: 'closed',
        window: 'zzlb',
        today: { date: '2026-12-04', kind: 'weekly' },
        next: { date: '2026-12-07', weekday: 1, from: '09:00', daysAhead: 3 },
      },
    });
    // Nothing taken, nothing printed, nothing for the hall.
    expect(fake.printed()).toHaveLength(0);
    expect(db.prepare('SELECT count(*) FROM queue_tickets').pluck().get()).toBe(0);
    expect(db.prepare('SELECT count(*) FROM outbox').pluck().get()).toBe(0);
    // The hours of every window, as the screen shows them.
    const hours = q.hours();
    const byWindow = new Map(hours.windows.map((w) => [w.window, [w.open, w.next?.date]]));
    expect(byWindow.get('zzlb')).toEqual([false, '2026-12-07']);
    // 养老社保 has Saturday-morning hours in the seed.
    expect(byWindow.get('ylsb')).toEqual([false, '2026-12-05']);
    // A technician's test ticket still prints at night.
    const test = await q.issue({ window: 'zzlb', idempotencyKey: 'tech', lang: 'zh', outsideHours: 'allow' });
    expect(test).toMatchObject({ ok: true, value: { ticket: { number: 'A900' } } });
  });

  it('gives back a ticket taken just before closing when asked again after it', async () => {
    now = new Date('2026-12-04T08:59:30Z'); // Friday 16:59:30
    const q = service();
    const first = await q.issue({ window: 'zzlb', idempotencyKey: 'edge', lang: 'zh' });
    now = new Date('2026-12-04T09:00:05Z'); // 17:00:05, closed
    const again = await q.issue({ window: 'zzlb', idempotencyKey: 'edge', lang: 'zh' });
    if (!first.ok || !again.ok) throw new Error('not issued');
    expect(again.value).toMatchObject({ reused: true, ticket: { number: first.value.ticket.number } });
  });

  it('numbers priority tickets in a series of their own, prints and reports them as such', async () => {
    const q = service();
    const plain = await q.issue({ window: 'zzlb', idempotencyKey: 'p0', lang: 'zh' });
    const elderly = await q.issue({ window: 'zzlb', idempotencyKey: 'p1', lang: 'zh', priority: 'elderly' });
    const pregnant = await q.issue({
      window: 'zzlb',
      idempotencyKey: 'p2',
      lang: 'en',
      priority: 'pregnant',
    });
    if (!plain.ok || !elderly.ok || !pregnant.ok) throw new Error('not issued');
    expect([plain.value.ticket.number, elderly.value.ticket.number, pregnant.value.ticket.number]).toEqual([
      'A900',
      'PA900',
      'PA901',
    ]);
    expect(elderly.value.ticket.priority).toBe('elderly');
    expect(plain.value.ticket.priority).toBeNull();
    const printed = fake.printed();
    expect(textOf(printed[1]!)).toContain('优先号 · 老年人');
    expect(textOf(printed[2]!)).toContain('PRIORITY - Pregnancy');
    expect(textOf(printed[0]!)).not.toContain('优先号');
    const entries = (
      db
        .prepare("SELECT zk_open(payload) FROM outbox WHERE kind = 'queue-ticket' ORDER BY seq")
        .pluck()
        .all() as string[]
    ).map((p) => JSON.parse(p) as Record<string, unknown>);
    expect(entries.map((e) => [e.number, e.priority])).toEqual([
      ['A900', undefined],
      ['PA900', 'elderly'],
      ['PA901', 'pregnant'],
    ]);
    // A reprint says it again.
    const again = await q.reprint(elderly.value.ticket.id, 'zh');
    expect(again).toMatchObject({ ok: true, value: { priority: 'elderly' } });
    expect(textOf(fake.printed()[3]!)).toContain('优先号 · 老年人');
  });

  it('refuses an hours file that is missing or invalid, naming the file and the fault', () => {
    expect(() => loadWindowHours(join(dir, 'none.json'))).toThrow(/opening hours .*none\.json/);
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ version: '1', source: 's', windows: {} }));
    expect(() => loadWindowHours(bad)).toThrow(/no hours for window zzlb/);
  });
});
