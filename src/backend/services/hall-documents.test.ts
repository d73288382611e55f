/**
 * The kiosk's providers after a pull from the real hall over loopback (the sync service as the
 * backend builds it): a published holiday calendar moves a promised date, queue state answers
 * `waiting()` only while fresh, tombstones fall back to the seed, a record pulled without applying
 * is applied by `catchUp()`, and a kiosk enrolled after the change log was purged still gets the
 * current documents through the snapshot.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startHallServer, type HallServer } from '../../hall/index.js';
import { publishDocument } from '../../cli/hall-publish.js';
import { calendarDay, promisedDate, type HolidayCalendar } from '../../shared/working-days.js';
import { createSyncClient, createSyncService, readEnrollment, type SyncService } from '../../sync/index.js';
import { createRecordHandlers } from './kiosk-records.js';
import { resourcesDir } from '../paths.js';
import { openDatabase, type Db } from '../store/db.js';
import { createCatalogService, ensureCatalog, readSeedCatalog } from './catalog.js';
import { loadSeedEvaluationItems } from './evaluations.js';
import { createHallDocuments, type HallDocuments } from './hall-documents.js';
import { createQueueState } from './queue-state.js';
import { loadSeedCalendar } from './resident.js';
import { seedHours } from '../testing/hours.js';

const silent = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  debug: () => undefined,
};
const TZ = 'Asia/Shanghai';

let root: string;
let hall: HallServer;
const open: Db[] = [];

beforeEach(async () => {
  root = mkdtempSync(join(tmpdir(), 'zizhu-halldocs-'));
  hall = await startHallServer({ host: '127.0.0.1', port: 0, dataDir: join(root, 'hall') }, { silent: true });
});
afterEach(async () => {
  for (const db of open.splice(0)) db.close();
  await hall.close();
  rmSync(root, { recursive: true, force: true });
});

/** A kiosk database with the seed catalog, its documents and an enrolled sync service. */
async function kiosk(name: string): Promise<{ db: Db; documents: HallDocuments; sync: SyncService }> {
  const opened = openDatabase(join(root, name, 'kiosk.db'));
  if (!opened.ok) throw new Error(opened.message);
  const db = opened.db;
  open.push(db);
  const seeded = ensureCatalog(db, join(resourcesDir(), 'catalog'), new Date());
  if (!seeded.ok) throw new Error(seeded.error);
  const documents = createHallDocuments({
    db,
    clock: () => new Date(),
    logger: silent,
    seed: {
      calendar: loadSeedCalendar(resourcesDir()),
      evaluationItems: loadSeedEvaluationItems(resourcesDir()),
      windowHours: seedHours(),
    },
  });
  const sync = createSyncService({
    db,
    records: createRecordHandlers({ db }),
    blobDir: join(root, name, 'blobs'),
    clock: () => new Date(),
    logger: silent,
    documents: documents.handlers,
    hall: { url: hall.url },
  });
  const { code } = await hall.service.createEnrollmentCode('611100');
  const r = await sync.enroll(code);
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return { db, documents, sync };
}

const pull = async (sync: SyncService) => {
  const r = await sync.runOnce();
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r;
};
const audits = (db: Db, action: string) =>
  db.prepare('SELECT count(*) FROM audit_log WHERE action = ?').pluck().get(action) as number;

/** Monday 2026-03-02, 10:00 in Xi'an. */
const SUBMITTED = new Date('2026-03-02T02:00:00.000Z');

function withHoliday(calendar: HolidayCalendar, day: string): HolidayCalendar {
  const year = calendar.years['2026'];
  if (!year) throw new Error('seed calendar lacks 2026');
  return {
    ...calendar,
    version: `${calendar.version}-hall.1`,
    years: { ...calendar.years, '2026': { ...year, holidays: [...year.holidays, day].sort() } },
  };
}

describe('holiday calendar', () => {
  it('a published calendar moves the promised date; an invalid one is refused; a tombstone restores the seed', async () => {
    const k = await kiosk('k1');
    const seed = loadSeedCalendar(resourcesDir());
    expect(promisedDate(SUBMITTED, 5, TZ, k.documents.calendar())).toBe('2026-03-09');

    // 国务院 declares Wednesday 2026-03-04 a day off: one working day fewer in the window.
    await publishDocument(hall.service, 'calendar', withHoliday(seed, '2026-03-04'));
    await pull(k.sync);
    expect(k.documents.calendar().version).toBe(`${seed.version}-hall.1`);
    expect(promisedDate(SUBMITTED, 5, TZ, k.documents.calendar())).toBe('2026-03-10');

    // A weekday 调休 "workday" is invalid: refused, audited, the published calendar stays in force.
    const bad = withHoliday(seed, '2026-03-05');
    const year2026 = bad.years['2026'];
    if (!year2026) throw new Error('unreachable');
    const invalid = {
      ...bad,
      years: { ...bad.years, '2026': { ...year2026, workdays: [...year2026.workdays, '2026-03-11'] } },
    };
    await hall.service.appendChange({
      kioskId: null,
      stream: 'calendar',
      key: 'current',
      op: 'put',
      data: invalid,
    });
    await pull(k.sync);
    expect(audits(k.db, 'calendar-update-failed')).toBe(1);
    expect(promisedDate(SUBMITTED, 5, TZ, k.documents.calendar())).toBe('2026-03-10');

    await hall.service.appendChange({
      kioskId: null,
      stream: 'calendar',
      key: 'current',
      op: 'del',
      data: null,
    });
    await pull(k.sync);
    expect(k.documents.calendar().version).toBe(seed.version);
    expect(promisedDate(SUBMITTED, 5, TZ, k.documents.calendar())).toBe('2026-03-09');
  }, 30_000);
});

describe('queue state', () => {
  it('waiting() answers the hall’s count while it is fresh and of today’s service date', async () => {
    const k = await kiosk('k1');
    let now = new Date();
    const queue = createQueueState({ db: k.db, clock: () => now, timeZone: TZ });
    expect(queue.waiting('zzlb')).toBeNull();

    const today = calendarDay(now, TZ);
    await hall.service.appendChange({
      kioskId: null,
      stream: 'queue-state',
      key: 'zzlb',
      op: 'put',
      data: { waiting: 7, serviceDate: today, at: now.toISOString() },
    });
    await hall.service.appendChange({
      kioskId: null,
      stream: 'queue-state',
      key: 'ylsb',
      op: 'put',
      data: { waiting: 0, serviceDate: today, at: now.toISOString() },
    });
    // Not a window code: refused, the others unaffected.
    await hall.service.appendChange({
      kioskId: null,
      stream: 'queue-state',
      key: 'nope',
      op: 'put',
      data: { waiting: 1, serviceDate: today, at: now.toISOString() },
    });
    await pull(k.sync);
    expect(queue.waiting('zzlb')).toBe(7);
    expect(queue.waiting('ylsb')).toBe(0);
    expect(queue.waiting('gcbj')).toBeNull();
    expect(queue.all().map((s) => [s.window, s.waiting])).toEqual([
      ['zzlb', 7],
      ['ylsb', 0],
    ]);
    expect(audits(k.db, 'queue-state-update-failed')).toBe(1);

    // Ten minutes is the limit; another service day is no count either.
    now = new Date(now.getTime() + 11 * 60_000);
    expect(queue.waiting('zzlb')).toBeNull();
    now = new Date(now.getTime() - 11 * 60_000);
    await hall.service.appendChange({
      kioskId: null,
      stream: 'queue-state',
      key: 'zzlb',
      op: 'put',
      data: { waiting: 3, serviceDate: '2020-01-01', at: now.toISOString() },
    });
    await pull(k.sync);
    expect(queue.waiting('zzlb')).toBeNull();

    await hall.service.appendChange({
      kioskId: null,
      stream: 'queue-state',
      key: 'ylsb',
      op: 'del',
      data: null,
    });
    await pull(k.sync);
    expect(queue.all()).toEqual([]);
  }, 30_000);
});

describe('catching up and late enrolment', () => {
  it('applies records a client stored without applying, once; a refused one is not refused again', async () => {
    const k = await kiosk('k1');
    const seed = readSeedCatalog(join(resourcesDir(), 'catalog'));
    if (!seed.ok) throw new Error(seed.error);
    const item = seed.catalog.items[0];
    if (!item) throw new Error('empty seed');
    await publishDocument(hall.service, 'catalog', {
      ...seed.catalog,
      version: 'hall-2',
      items: seed.catalog.items.map((i) =>
        i.code === item.code ? { ...i, name: { ...i.name, zh: '改名事项' } } : i,
      ),
    });
    await hall.service.appendChange({
      kioskId: null,
      stream: 'evaluation-items',
      key: 'current',
      op: 'put',
      data: { version: 'x' },
    });
    // A client without the backend's applier (an older release): the records are only stored.
    const e = readEnrollment(k.db);
    if (!e) throw new Error('not enrolled');
    const bare = createSyncClient({
      db: k.db,
      records: createRecordHandlers({ db: k.db }),
      hallUrl: hall.url,
      credentials: e,
      blobDir: join(root, 'k1', 'blobs'),
      clock: () => new Date(),
      logger: silent,
      random: Math.random,
    });
    expect(await bare.runOnce()).toMatchObject({ ok: true });
    const catalog = createCatalogService(k.db);
    expect(catalog.item(item.code)?.name.zh).toBe(item.name.zh);

    expect(k.documents.catchUp()).toBe(2);
    expect(catalog.item(item.code)?.name.zh).toBe('改名事项');
    expect(audits(k.db, 'evaluation-items-update-failed')).toBe(1);
    expect(k.documents.catchUp()).toBe(0);
    expect(audits(k.db, 'evaluation-items-update-failed')).toBe(1);
  }, 30_000);

  it('a kiosk enrolled after the change log was purged gets the current documents from the snapshot', async () => {
    const first = await kiosk('k1');
    await publishDocument(hall.service, 'kiosk-config', { hallName: '旧名' });
    await publishDocument(hall.service, 'kiosk-config', { hallName: '新名', countdownSeconds: 20 });
    await pull(first.sync);
    expect(first.documents.kioskSettings()).toEqual({ hallName: '新名', countdownSeconds: 20 });
    // Purge everything: a new kiosk's empty cursor is now expired (410) and it must take a snapshot.
    await hall.close();
    hall = await startHallServer(
      { host: '127.0.0.1', port: 0, dataDir: join(root, 'hall') },
      { silent: true, retentionMs: -60_000 },
    );
    expect(await hall.service.purgeChanges()).toBeGreaterThan(0);
    const late = await kiosk('k2');
    await pull(late.sync);
    expect(late.documents.kioskSettings()).toEqual({ hallName: '新名', countdownSeconds: 20 });
  }, 30_000);
});
