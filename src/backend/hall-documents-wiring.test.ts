/**
 * Hall-owned documents end to end (docs/contract.md, "Streams"): the reference hall publishes a
 * catalog, evaluation content items, kiosk settings and the windows' opening hours; the running kiosk
 * backend pulls them over loopback (signed answers) and applies them without a restart. An invalid catalog is refused on the kiosk: the old
 * one stays, sync_records keeps what came, and the technician console lists the failure.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTRPCClient, httpLink, type TRPCClient } from '@trpc/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHallServer, type HallServer } from '../hall/index.js';
import { publishDocument } from '../cli/hall-publish.js';
import { enrolWithService } from '../hall/testing/enrol.js';
import type { Catalog } from '../shared/index.js';
import { startKioskBackend, type KioskBackend } from './app.js';
import { loadKioskConfig } from './config.js';
import { expectOk } from './expect-ok.js';
import { createLogger } from './logger.js';
import { resourcesDir } from './paths.js';
import type { AppRouter } from './rpc/router.js';
import { TOKEN_COOKIE } from './server.js';
import { readSeedCatalog } from './services/catalog.js';
import { loadSeedEvaluationItems } from './services/evaluations.js';
import { seedHours } from './testing/hours.js';
import type { OpeningHours } from '../shared/opening-hours.js';

let dir: string;
let hall: HallServer;
let kiosk: KioskBackend;
let api: TRPCClient<AppRouter>;
let seed: Catalog;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'zizhu-halldocs-'));
  hall = await startHallServer({ host: '127.0.0.1', port: 0, dataDir: join(dir, 'hall') }, { silent: true });
  const cfg = loadKioskConfig({
    argv: [],
    env: {
      KIOSK_DATA_DIR: join(dir, 'kiosk'),
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
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  expect(cookie.startsWith(`${TOKEN_COOKIE}=`)).toBe(true);
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
  const { code } = await hall.service.createEnrollmentCode('611100');
  expect(await api.tech.syncEnroll.mutate({ code })).toMatchObject({ ok: true });
  const s = readSeedCatalog(join(resourcesDir(), 'catalog'));
  if (!s.ok) throw new Error(s.error);
  seed = s.catalog;
}, 30_000);

afterAll(async () => {
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

/** The kiosk holds this version of a pulled record (applied or refused). */
const pulled = (stream: string, version: number) =>
  until(() => {
    const v = kiosk.db
      .prepare("SELECT version FROM sync_records WHERE stream = ? AND key = 'current'")
      .pluck()
      .get(stream) as number | undefined;
    return v !== undefined && v >= version ? v : undefined;
  });

describe('hall documents reach a running kiosk', () => {
  const first = () => {
    const item = seed.items[0];
    if (!item) throw new Error('empty seed catalog');
    return item;
  };

  it('a published catalog with a renamed item changes catalog.item without a restart', async () => {
    const item = first();
    expect(expectOk(await api.catalog.item.query({ code: item.code })).name.zh).toBe(item.name.zh);
    const renamed: Catalog = {
      ...seed,
      version: `${seed.version}-hall.1`,
      items: seed.items.map((i) =>
        i.code === item.code ? { ...i, name: { zh: `${i.name.zh}（新）`, en: `${i.name.en} (new)` } } : i,
      ),
    };
    const r = await publishDocument(hall.service, 'catalog', renamed);
    await pulled('catalog', r.version);
    expect(expectOk(await api.catalog.item.query({ code: item.code })).name).toEqual({
      zh: `${item.name.zh}（新）`,
      en: `${item.name.en} (new)`,
    });
    expect((await api.system.status.query()).catalogVersion).toBe(`${seed.version}-hall.1`);
  }, 30_000);

  it('an invalid catalog is refused: the previous one stays, sync_records keeps it, the console lists it', async () => {
    const item = first();
    const broken = {
      ...seed,
      version: `${seed.version}-hall.2`,
      bundles: [{ ...seed.bundles[0], items: ['no-such-item', item.code] }],
    };
    const c = await hall.service.appendChange({
      kioskId: null,
      stream: 'catalog',
      key: 'current',
      op: 'put',
      data: broken,
    });
    await pulled('catalog', c.version);
    const failed = await until(
      () =>
        kiosk.db
          .prepare(
            "SELECT subject, detail FROM audit_log WHERE action = 'catalog-update-failed' ORDER BY id DESC",
          )
          .get() as { subject: string; detail: string } | undefined,
    );
    expect(failed.subject).toBe('catalog/current');
    expect(JSON.parse(failed.detail)).toMatchObject({
      version: c.version,
      issues: [expect.stringMatching(/unknown item no-such-item/)],
    });
    expect(expectOk(await api.catalog.item.query({ code: item.code })).name.zh).toBe(`${item.name.zh}（新）`);
    expect((await api.system.status.query()).catalogVersion).toBe(`${seed.version}-hall.1`);
    const kept = kiosk.db
      .prepare("SELECT data FROM sync_records WHERE stream = 'catalog' AND key = 'current'")
      .pluck()
      .get() as string;
    expect((JSON.parse(kept) as { version: string }).version).toBe(`${seed.version}-hall.2`);
    const overview = await api.tech.overview.query();
    expect(overview.recentErrors.some((e) => e.action === 'catalog-update-failed')).toBe(true);
  }, 30_000);

  it('evaluation content items update', async () => {
    const items = loadSeedEvaluationItems(resourcesDir());
    const reason = { code: 'r-hall-test', zh: '大厅新增原因', en: 'A reason the hall added' };
    const updated = { ...items, version: `${items.version}-hall.1`, reasons: [...items.reasons, reason] };
    const r = await publishDocument(hall.service, 'evaluation-items', updated);
    await pulled('evaluation-items', r.version);
    const now = await api.evaluation.items.query();
    expect(now.version).toBe(`${items.version}-hall.1`);
    expect(now.reasons).toContainEqual(reason);
  }, 30_000);

  it('kiosk-config changes the hall name, phone and session timings in system.status', async () => {
    const before = await api.system.status.query();
    const r = await publishDocument(hall.service, 'kiosk-config', {
      hallName: '高新区政务服务中心',
      hallPhone: '029-88886666',
      idleSeconds: 120,
    });
    await pulled('kiosk-config', r.version);
    const after = await api.system.status.query();
    expect(after).toMatchObject({
      hallName: '高新区政务服务中心',
      hallNameEn: before.hallNameEn,
      hallPhone: '029-88886666',
      session: { idleSeconds: 120, countdownSeconds: before.session.countdownSeconds },
    });
    // A value out of bounds makes the whole document invalid on the kiosk: the last good one stays.
    const bad = await hall.service.appendChange({
      kioskId: null,
      stream: 'kiosk-config',
      key: 'current',
      op: 'put',
      data: { hallName: 'X', idleSeconds: 5 },
    });
    await pulled('kiosk-config', bad.version);
    await until(() =>
      kiosk.db.prepare("SELECT 1 FROM audit_log WHERE action = 'kiosk-config-update-failed'").get(),
    );
    expect((await api.system.status.query()).hallName).toBe('高新区政务服务中心');
  }, 30_000);

  it('window-hours: the hall’s published hours replace the seed in queue.hours (and so the home line)', async () => {
    const seed = seedHours();
    const before = await api.queue.hours.query();
    const today = before.windows[0]?.date ?? '';
    expect(before.windows.every((w) => w.today.kind !== 'exception')).toBe(true);
    // The hall's notice: every window closed today for a system change-over, 不动产登记 open late.
    const notice: OpeningHours = {
      ...seed,
      version: `${seed.version}-hall.1`,
      exceptions: [
        {
          date: today,
          windows: ['zzlb', 'gcbj', 'swfw', 'ylsb'],
          periods: [],
          note: { zh: '系统切换', en: 'system change-over' },
        },
        { date: today, windows: ['bdcdj'], periods: [{ from: '00:00', to: '24:00' }] },
      ],
    };
    const r = await publishDocument(hall.service, 'window-hours', notice);
    await pulled('window-hours', r.version);
    const after = await until(async () => {
      const h = await api.queue.hours.query();
      return h.windows.some((w) => w.today.kind === 'exception') ? h : undefined;
    });
    const byWindow = new Map(after.windows.map((w) => [w.window, w]));
    expect(byWindow.get('zzlb')).toMatchObject({
      open: false,
      today: { kind: 'exception', periods: [], note: { zh: '系统切换', en: 'system change-over' } },
    });
    expect(byWindow.get('bdcdj')).toMatchObject({
      open: true,
      today: { periods: [{ from: '00:00', to: '24:00' }] },
    });
    // A ticket follows the published hours too: closed at 综合受理 today, whatever the seed says.
    const refused = await api.queue.issue.mutate({
      window: 'zzlb',
      idempotencyKey: 'hall-hours-zzlb',
      lang: 'zh',
    });
    expect(refused).toMatchObject({ ok: false, error: { kind: 'closed', window: 'zzlb' } });

    // Hours a kiosk would refuse (a window missing): refused, recorded, the published ones stay.
    const { zzlb: _dropped, ...fewer } = notice.windows;
    const bad = await hall.service.appendChange({
      kioskId: null,
      stream: 'window-hours',
      key: 'current',
      op: 'put',
      data: { ...notice, version: 'broken', windows: fewer },
    });
    await pulled('window-hours', bad.version);
    await until(() =>
      kiosk.db.prepare("SELECT 1 FROM audit_log WHERE action = 'window-hours-update-failed'").get(),
    );
    expect((await api.queue.hours.query()).windows.find((w) => w.window === 'zzlb')?.today.kind).toBe(
      'exception',
    );
    expect(
      kiosk.db.prepare("SELECT count(*) FROM audit_log WHERE action = 'window-hours-updated'").pluck().get(),
    ).toBe(1);

    // A change addressed to another kiosk never reaches this one (its hours are not this kiosk's).
    await hall.service.appendChange({
      kioskId: (await enrolWithService(hall.service, '611100')).kioskId,
      stream: 'window-hours',
      key: 'current',
      op: 'put',
      data: { ...notice, version: 'another-kiosk' },
    });

    // Withdrawn by the hall: the seed applies again.
    const gone = await hall.service.appendChange({
      kioskId: null,
      stream: 'window-hours',
      key: 'current',
      op: 'del',
      data: null,
    });
    await pulled('window-hours', gone.version);
    await until(async () => {
      const h = await api.queue.hours.query();
      return h.windows.every((w) => w.today.kind !== 'exception') ? true : undefined;
    });
    const actions = kiosk.db
      .prepare("SELECT action FROM audit_log WHERE action LIKE 'window-hours-%' ORDER BY id")
      .pluck()
      .all();
    expect(actions).toEqual(['window-hours-updated', 'window-hours-update-failed', 'window-hours-withdrawn']);
  }, 30_000);
});
