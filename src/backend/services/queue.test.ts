import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { printer as printers } from '../../devices/index.js';
import { createLogger } from '../logger.js';
import { openDatabase, type Db } from '../store/db.js';
import { replaceCatalog } from './catalog.js';
import { fixtureCatalog } from './catalog-fixture.js';
import { createQueueService, serviceDate } from './queue.js';

let dir: string;
let db: Db;
let now: Date;
let fake: printers.FakePrinter;
let fitted: boolean;

const service = (range = { offlineRangeStart: 900, offlineRangeEnd: 999 }) =>
  createQueueService({
    db,
    clock: () => now,
    logger: createLogger('silent'),
    config: { ...range, timeZone: 'Asia/Shanghai', progressUrl: 'https://hall.example/zwfw/' },
    hallName: () => ({ zh: '西咸新区政务服务中心', en: 'Xixian Service Centre' }),
    ticketPrinter: () => (fitted ? fake : null),
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
    const q = service({ offlineRangeStart: 1, offlineRangeEnd: 2 });
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
});
