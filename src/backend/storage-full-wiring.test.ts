/**
 * A full disk outside the submission (docs/security.md, "Crash and storage faults"), through the
 * real backend and its API: a page captured, a 补正 supplement, a receipt reprint — each answered as
 * the one `storage-full` error (src/shared/result.ts) while the database may not grow by a page
 * (SQLite's max_page_count: SQLITE_FULL), each losing nothing and each taken once there is room
 * again. The archived form meets a real ENOSPC from the kernel (its temp file is a link to
 * /dev/full): no temp file stays, the acknowledged application is untouched, and its form is
 * written with the next one queued.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTRPCClient, httpLink } from '@trpc/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scanner } from '../devices/index.js';
import { startKioskBackend, type KioskBackend } from './app.js';
import { loadKioskConfig } from './config.js';
import { expectOk } from './expect-ok.js';
import { createLogger } from './logger.js';
import type { AppRouter } from './rpc/router.js';
import { placeCard } from './testing/place-card.js';

const ITEM = '610000-RSJ-GG-05004-000'; // only 身份证 (sfz)

let dir: string;
let kiosk: KioskBackend;
let api: ReturnType<typeof createTRPCClient<AppRouter>>;
let page: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'zizhu-storage-full-'));
  const cfg = loadKioskConfig({
    argv: [],
    env: { KIOSK_DATA_DIR: dir, KIOSK_PORT: '0', KIOSK_IDCARD: 'sim:?timing=fast', KIOSK_SCANNER: 'none' },
  });
  if (!cfg.ok) throw new Error(cfg.error);
  kiosk = await startKioskBackend({ config: cfg.config, logger: createLogger('silent') });
  const cookie = ((await fetch(kiosk.url)).headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  api = createTRPCClient<AppRouter>({
    links: [httpLink({ url: `${kiosk.url}api`, headers: () => ({ cookie }) })],
  });
  for (let i = 0; i < 100 && !kiosk.devices.idcardReader(); i++) await new Promise((r) => setTimeout(r, 50));
  const jpeg = await scanner.renderSamplePage({
    pageNumber: 1,
    resolution: 72,
    colorMode: 'color',
    content: 'document',
  });
  page = `data:image/jpeg;base64,${jpeg.toString('base64')}`;
}, 60_000);

afterAll(async () => {
  await kiosk?.close();
  rmSync(dir, { recursive: true, force: true });
});

/**
 * The database is full while `during` runs: it may not grow by a page (max_page_count) and the
 * audit log — which every one of these operations writes — has its pages filled to the last bytes,
 * so the operation meets SQLITE_FULL as it would on a full disk. The filler rows go afterwards.
 */
async function whileFull<T>(during: () => Promise<T>): Promise<T> {
  const db = kiosk.db;
  db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true }) as number}`);
  const fill = db.prepare(
    "INSERT INTO audit_log (at, actor, action, subject) VALUES ('', 'test', 'test-filler', printf('%.*c', ?, 'x'))",
  );
  try {
    for (const size of [16_384, 2048, 256, 32, 1]) {
      for (let i = 0; i < 10_000; i++) {
        try {
          fill.run(size);
        } catch (e) {
          if ((e as { code?: unknown }).code !== 'SQLITE_FULL') throw e;
          break;
        }
      }
    }
    return await during();
  } finally {
    db.pragma('max_page_count = 1073741823');
    db.prepare("DELETE FROM audit_log WHERE action = 'test-filler'").run();
  }
}

async function identified(): Promise<string> {
  const s = await api.session.start.mutate({ trigger: 'touch' });
  await placeCard(kiosk.devices);
  expectOk(await api.session.identify.mutate({ sessionId: s.id, role: 'applicant', timeoutMs: 10_000 }));
  return s.id;
}

async function submit(sessionId: string, key: string): Promise<{ id: string; receiptNo: string }> {
  const plan = expectOk(
    await api.application.plan.query({ sessionId, target: { kind: 'item', code: ITEM } }),
  );
  const r = expectOk(
    await api.application.submit.mutate({
      sessionId,
      target: { kind: 'item', code: ITEM },
      form: {
        contactPhone: '13800138000',
        insuranceType: plan.fields.find((f) => f.key === 'insuranceType')?.options?.[0]?.value ?? '',
        periodStart: '2020-01-01',
        periodEnd: '2025-12-31',
      },
      delivery: { method: 'pickup' },
      integrityAcknowledged: true,
      idempotencyKey: key,
      lang: 'zh',
    }),
  );
  const app = r.applications[0];
  if (!app) throw new Error('no application');
  return { id: app.id, receiptNo: app.receiptNo };
}

/** One application, from a new session to the end of it. */
async function apply(key: string): Promise<{ id: string; receiptNo: string }> {
  const s = await identified();
  expectOk(await api.session.camera.mutate({ sessionId: s, material: 'sfz', image: page }));
  const app = await submit(s, key);
  await api.session.end.mutate({ sessionId: s, reason: 'finished' });
  return app;
}

const archiveOf = (receiptNo: string) => join(dir, 'archive', `${receiptNo}.pdf`);
const temps = () => readdirSync(join(dir, 'archive')).filter((n) => n.includes('.tmp'));
const count = (sql: string, ...args: unknown[]) =>
  kiosk.db
    .prepare(sql)
    .pluck()
    .get(...args) as number;

async function waitFor(what: string, check: () => boolean, ms = 30_000): Promise<void> {
  for (const end = Date.now() + ms; Date.now() < end;) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('a full disk outside the submission', () => {
  it('capture: storage-full with the session as it is; the pages captured before stay and the next one is taken later', async () => {
    const s = await identified();
    expectOk(await api.session.camera.mutate({ sessionId: s, material: 'sfz', image: page }));
    const full = await whileFull(() =>
      api.session.camera.mutate({ sessionId: s, material: 'sfz', image: page }),
    );
    expect(full).toMatchObject({ ok: false, error: { kind: 'storage-full' } });
    if (full.ok || full.error.kind !== 'storage-full') throw new Error('expected storage-full');
    expect(full.error.session.captured.sfz?.length).toBeGreaterThanOrEqual(1);
    // Room again: the resident goes on and submits what was captured.
    expectOk(await api.session.camera.mutate({ sessionId: s, material: 'sfz', image: page }));
    const app = await submit(s, 'full-capture-1');
    expect(
      count('SELECT count(*) FROM application_attachments WHERE application_id = ?', app.id),
    ).toBeGreaterThanOrEqual(1);
    await api.session.end.mutate({ sessionId: s, reason: 'finished' });
  }, 60_000);

  it('supplement: storage-full attaches nothing; the same supplement is taken once there is room', async () => {
    const app = await apply('full-supplement-app');
    kiosk.db.prepare("UPDATE applications SET status = 'correction-requested' WHERE id = ?").run(app.id);
    kiosk.db
      .prepare(
        "INSERT INTO application_status_history (application_id, status, at, source, note, detail) VALUES (?, 'correction-requested', ?, 'hall', '身份证复印件不清晰', ?)",
      )
      .run(app.id, new Date().toISOString(), JSON.stringify({ materials: ['sfz'] }));
    const s = await identified();
    expectOk(await api.session.camera.mutate({ sessionId: s, material: 'sfz', image: page }));
    const input = { sessionId: s, applicationId: app.id, idempotencyKey: 'full-supplement-1' };
    const before = {
      supplements: count("SELECT count(*) FROM outbox WHERE kind = 'supplement'"),
      attachments: count('SELECT count(*) FROM application_attachments WHERE application_id = ?', app.id),
    };
    expect(await whileFull(() => api.progress.supplement.mutate(input))).toEqual({
      ok: false,
      error: { kind: 'storage-full' },
    });
    expect({
      supplements: count("SELECT count(*) FROM outbox WHERE kind = 'supplement'"),
      attachments: count('SELECT count(*) FROM application_attachments WHERE application_id = ?', app.id),
    }).toEqual(before);
    expect(await api.progress.supplement.mutate(input)).toMatchObject({
      ok: true,
      value: { reused: false, application: { status: 'supplement-submitted' } },
    });
    expect(count("SELECT count(*) FROM outbox WHERE kind = 'supplement'")).toBe(before.supplements + 1);
    await api.session.end.mutate({ sessionId: s, reason: 'finished' });
  }, 60_000);

  it('reprint: storage-full prints nothing unaudited; the reprint works once there is room', async () => {
    const app = await apply('full-reprint-app');
    const printed = () => kiosk.devices.simulators().printer?.receipts().length ?? 0;
    const before = printed();
    // The applicant's card again: a session that may act on the application (case-access.ts).
    const s = await identified();
    const input = { sessionId: s, id: app.id, lang: 'zh' as const };
    expect(await whileFull(() => api.progress.reprint.mutate(input))).toEqual({
      ok: false,
      error: { kind: 'storage-full' },
    });
    expect(printed()).toBe(before);
    expect(await api.progress.reprint.mutate(input)).toMatchObject({ ok: true });
    expect(printed()).toBe(before + 1);
    await api.session.end.mutate({ sessionId: s, reason: 'finished' });
  }, 60_000);

  it('archive: a real ENOSPC leaves no temp file and the acknowledged application; the form is written with the next one', async () => {
    const first = await apply('full-archive-1');
    await waitFor('the first archived form', () => existsSync(archiveOf(first.receiptNo)));
    // The next receipt number of the day, and the temp file its form will be written to (this
    // process serves the kiosk): a link to /dev/full, where every write fails with ENOSPC.
    const m = /^(.*-)(\d{4})$/.exec(first.receiptNo);
    if (!m?.[1] || !m[2]) throw new Error(`unexpected receipt ${first.receiptNo}`);
    const predicted = `${m[1]}${String(Number(m[2]) + 1).padStart(4, '0')}`;
    const tmp = `${archiveOf(predicted)}.tmp-${process.pid}`;
    symlinkSync('/dev/full', tmp);
    const second = await apply('full-archive-2');
    expect(second.receiptNo).toBe(predicted);
    await waitFor('the failed write to be cleaned up', () => !existsSync(tmp));
    expect(temps()).toEqual([]);
    expect(existsSync(archiveOf(second.receiptNo))).toBe(false);
    expect(count('SELECT count(*) FROM applications WHERE id = ? AND archive_file IS NULL', second.id)).toBe(
      1,
    );
    const look = await api.session.start.mutate({ trigger: 'touch' });
    expect(
      expectOk(await api.progress.byReceipt.query({ sessionId: look.id, receiptNo: second.receiptNo })),
    ).toMatchObject({ access: 'status', status: { receiptNo: second.receiptNo } });
    await api.session.end.mutate({ sessionId: look.id, reason: 'finished' });
    // Room again: the next submission's form, and the one that waited.
    const third = await apply('full-archive-3');
    await waitFor(
      'both archived forms',
      () => existsSync(archiveOf(second.receiptNo)) && existsSync(archiveOf(third.receiptNo)),
    );
    expect(
      count('SELECT count(*) FROM applications WHERE id = ? AND archive_file IS NOT NULL', second.id),
    ).toBe(1);
    expect(temps()).toEqual([]);
  }, 90_000);
});
