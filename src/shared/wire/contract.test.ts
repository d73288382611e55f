/**
 * The contract test (docs/contract.md): a real kiosk backend (simulated devices) and a real hall,
 * talking over loopback. Every outbox entry kind the kiosk writes goes through the hall's parser and
 * is applied; every document stream the hall publishes goes through the kiosk's parser; every case
 * status is reached through the real flows and gets its words from the screen's label function.
 * Each table is keyed by the contract's own union, so a kind, stream or status added to the
 * contract without a row here does not compile — nothing is skipped.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTRPCClient, httpLink } from '@trpc/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKioskBackend, type KioskBackend } from '../../backend/app.js';
import { loadKioskConfig } from '../../backend/config.js';
import { expectOk } from '../../backend/expect-ok.js';
import { createLogger } from '../../backend/logger.js';
import { resourcesDir } from '../../backend/paths.js';
import type { AppRouter } from '../../backend/rpc/router.js';
import { publishDocument, readPublishable } from '../../cli/hall-publish.js';
import { scanner } from '../../devices/index.js';
import { startHallServer, type HallServer } from '../../hall/index.js';
import { statusView } from '../../renderer/flows/progress/progress-view.js';
import { CASE_STATUSES, HALL_CASE_STATUSES, type CaseStatus } from '../case-status.js';
import {
  CURRENT_KEY,
  ENTRY_KINDS,
  STREAMS,
  parseDocument,
  parseEntry,
  type EntryKind,
  type Stream,
} from './index.js';
import { placeCard } from '../../backend/testing/place-card.js';
import { ROUND_THE_CLOCK_HOURS } from '../../backend/testing/hours.js';

const ITEM = '610000-RSJ-JF-05005-000'; // 失业登记: a 承诺件 with scanned materials
const FORM = {
  contactPhone: '13800138000',
  address: '陕西省西安市雁塔区示例路1号',
  lastEmployer: '西安示例有限公司',
  separationDate: '2026-10-31',
  jobIntention: '仓储管理',
};
const STAFF = { name: '综合窗口', jurisdiction: '611100', jurisdictions: ['611100'] };

let dir: string;
let hall: HallServer;
let kiosk: KioskBackend;
let api: ReturnType<typeof createTRPCClient<AppRouter>>;
let tech = '';
let page = '';

const until = async (what: string, cond: () => Promise<boolean> | boolean, ms = 15_000) => {
  const t0 = Date.now();
  while (!(await cond())) {
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'zizhu-contract-'));
  hall = await startHallServer({ host: '127.0.0.1', port: 0, dataDir: join(dir, 'hall') }, { silent: true });
  const cfg = loadKioskConfig({
    argv: [],
    env: {
      KIOSK_DATA_DIR: join(dir, 'kiosk'),
      // Not a test of opening hours: it must pass at any hour.
      KIOSK_QUEUE_HOURS: ROUND_THE_CLOCK_HOURS,
      KIOSK_PORT: '0',
      KIOSK_HALL_URL: hall.url,
      KIOSK_IDCARD: 'sim:?timing=fast',
      KIOSK_SCANNER: 'none',
    },
  });
  if (!cfg.ok) throw new Error(cfg.error);
  kiosk = await startKioskBackend({ config: cfg.config, logger: createLogger('silent') });
  const cookie = ((await fetch(kiosk.url)).headers.get('set-cookie') ?? '').split(';')[0] ?? '';
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
  await until('the card reader', () => kiosk.devices.idcardReader() !== null);
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
  await hall?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function identified() {
  const s = await api.session.start.mutate({ trigger: 'touch' });
  // The card is placed after the session started: one lying there before is never used.
  await placeCard(kiosk.devices);
  const id = await api.session.identify.mutate({ sessionId: s.id, role: 'applicant', timeoutMs: 10_000 });
  if (!id.ok) throw new Error(JSON.stringify(id.error));
  return s.id;
}

async function submit(key: string): Promise<{ id: string; receiptNo: string }> {
  const sessionId = await identified();
  const plan = expectOk(
    await api.application.plan.query({ sessionId, target: { kind: 'item', code: ITEM } }),
  );
  for (const m of plan.materials.filter((x) => x.required))
    expect(await api.session.camera.mutate({ sessionId, material: m.code, image: page })).toMatchObject({
      ok: true,
    });
  const reason = plan.fields.find((f) => f.key === 'separationReason')?.options?.[0]?.value ?? '';
  const r = await api.application.submit.mutate({
    sessionId,
    target: { kind: 'item', code: ITEM },
    form: { ...FORM, separationReason: reason },
    delivery: {
      method: 'ems',
      recipient: '李秀英',
      phone: '13800138000',
      address: '陕西省西安市雁塔区示例路1号',
      postcode: '710061',
    },
    integrityAcknowledged: true,
    idempotencyKey: key,
    lang: 'zh',
  });
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  await api.session.end.mutate({ sessionId, reason: 'finished' });
  const app = r.value.applications[0];
  if (!app) throw new Error('no application');
  return { id: app.id, receiptNo: app.receiptNo };
}

const outbox = () =>
  kiosk.db
    .prepare(
      'SELECT seq, kind, zk_open(payload) AS payload, hall_status AS hallStatus FROM outbox ORDER BY seq',
    )
    .all() as {
    seq: number;
    kind: string;
    payload: string;
    hallStatus: string | null;
  }[];

/**
 * The status as the receipt number alone shows it (docs/security.md, "Receipt access codes"), in
 * whatever session is live — a new one only when there is none, so a poll is one query and a
 * short-lived status (supplement-submitted) is not missed.
 */
let lookupSession: string | null = null;
async function statusAtKiosk(receiptNo: string): Promise<CaseStatus | null> {
  let r = lookupSession ? await api.progress.byReceipt.query({ sessionId: lookupSession, receiptNo }) : null;
  if (!r || (!r.ok && r.error.kind === 'session-expired')) {
    lookupSession = (await api.session.start.mutate({ trigger: 'touch' })).id;
    r = await api.progress.byReceipt.query({ sessionId: lookupSession, receiptNo });
  }
  if (!r.ok) return null;
  return r.value.access === 'status' ? r.value.status.status : r.value.application.status;
}

async function syncNow(): Promise<void> {
  kiosk.nudgeSync();
  await until('an empty backlog', async () => (await api.tech.syncStatus.query()).backlog === 0);
}

/** Statuses seen at the kiosk's API, with the words the 进度查询 screen shows for them. */
const seen = new Map<CaseStatus, string>();
async function expectStatus(receiptNo: string, status: CaseStatus): Promise<void> {
  await until(`status ${status}`, async () => (await statusAtKiosk(receiptNo)) === status);
  saw(status);
}
function saw(status: CaseStatus): void {
  const view = statusView(status);
  expect(view.info.label.zh.length).toBeGreaterThan(1);
  expect(view.info.label.en.length).toBeGreaterThan(1);
  seen.set(status, view.info.label.zh);
}

describe('the kiosk ↔ hall contract', () => {
  let main: { id: string; receiptNo: string };
  let refused: { id: string; receiptNo: string };

  it('the hall parses and applies every entry kind the kiosk writes', async () => {
    // Written while the kiosk is not enrolled (the queue ticket then comes from the offline range).
    const writers: Record<EntryKind, () => Promise<void>> = {
      application: async () => {
        main = await submit('contract-app-1');
        refused = await submit('contract-app-2');
        await expectStatus(main.receiptNo, 'submitted');
      },
      'queue-ticket': async () => {
        const r = await api.queue.issue.mutate({
          window: 'ylsb',
          idempotencyKey: 'contract-ticket-1',
          lang: 'zh',
        });
        expect(r).toMatchObject({ ok: true, value: { ticket: { source: 'offline' } } });
        // A priority ticket (优先号) carries its kind and a P-series number; the hall applies it too.
        const p = await api.queue.issue.mutate({
          window: 'ylsb',
          idempotencyKey: 'contract-ticket-2',
          lang: 'zh',
          priority: 'elderly',
        });
        expect(p).toMatchObject({ ok: true, value: { ticket: { number: 'PE900', priority: 'elderly' } } });
      },
      evaluation: async () => {
        const r = await api.evaluation.submit.mutate({
          sessionId: await identified(),
          target: { kind: 'application', id: main.id },
          level: 'satisfied',
          contentItems: [],
          idempotencyKey: 'contract-evaluation-1',
        });
        expect(r).toMatchObject({ ok: true });
      },
      supplement: async () => {
        // 补正 needs the hall to ask for it first: enrol, deliver, request, then supplement.
        const { code } = await hall.service.createEnrollmentCode(STAFF.jurisdiction);
        expect(await api.tech.syncEnroll.mutate({ code })).toMatchObject({ ok: true });
        await syncNow();
        await expectStatus(main.receiptNo, 'received');
        expect(
          (await hall.staff.act(STAFF, main.id, { action: 'request-correction', materials: ['sfz'] })).status,
        ).toBe(200);
        await expectStatus(main.receiptNo, 'correction-requested');
        const sessionId = await identified();
        expect(await api.session.camera.mutate({ sessionId, material: 'sfz', image: page })).toMatchObject({
          ok: true,
        });
        const r = await api.progress.supplement.mutate({
          sessionId,
          applicationId: main.id,
          idempotencyKey: 'contract-supplement-1',
        });
        // The kiosk's own status, as the 补正 answer shows it: the hall may acknowledge the supplement
        // (supplement-received) before any poll would see it.
        expect(r).toMatchObject({ ok: true, value: { application: { status: 'supplement-submitted' } } });
        saw('supplement-submitted');
        await api.session.end.mutate({ sessionId, reason: 'finished' });
      },
    };
    // In this order: the ticket before enrolment (offline range), the supplement after it.
    const order: EntryKind[] = ['application', 'queue-ticket', 'evaluation', 'supplement'];
    expect(new Set(order)).toEqual(new Set(ENTRY_KINDS));
    for (const kind of order) await writers[kind]();
    await syncNow();

    const rows = outbox();
    expect(new Set(rows.map((r) => r.kind))).toEqual(new Set(ENTRY_KINDS));
    for (const row of rows) {
      expect(parseEntry(row.kind, row.payload), `${row.kind} #${row.seq}`).toMatchObject({ ok: true });
      expect(row.hallStatus, `${row.kind} #${row.seq} at the hall`).toBe('applied');
    }
  }, 120_000);

  it('the kiosk shows every status the hall can send, and its own, in words', async () => {
    // Hall statuses, in the order staff work a case.
    await expectStatus(main.receiptNo, 'supplement-received');
    expect((await hall.staff.act(STAFF, main.id, { action: 'accept' })).status).toBe(200);
    await expectStatus(main.receiptNo, 'accepted');
    expect(
      (
        await hall.staff.act(STAFF, main.id, {
          action: 'complete',
          result: '准予登记',
          trackingNumber: 'EA000000001CN',
        })
      ).status,
    ).toBe(200);
    await expectStatus(main.receiptNo, 'completed');
    expect(
      (await hall.staff.act(STAFF, refused.id, { action: 'refuse', reason: '不属于本部门职责' })).status,
    ).toBe(200);
    await expectStatus(refused.receiptNo, 'refused');
    // The applicant's card opens the case with the hall's note.
    const opened = expectOk(
      await api.progress.byReceipt.query({ sessionId: await identified(), receiptNo: refused.receiptNo }),
    );
    if (opened.access !== 'full') throw new Error('expected the application');
    expect(opened.application.history.at(-1)).toMatchObject({
      status: 'refused',
      note: '不属于本部门职责',
      source: 'hall',
    });

    // Every status of the lifecycle was reached through a real flow and labelled.
    expect([...seen.keys()].sort()).toEqual([...CASE_STATUSES].sort());
    for (const s of HALL_CASE_STATUSES) expect(seen.has(s)).toBe(true);
  }, 60_000);

  it('the kiosk parses every document stream the hall publishes', async () => {
    const publishers: Record<Stream, () => Promise<unknown> | undefined> = {
      catalog: () => publish('catalog', join(resourcesDir(), 'catalog')),
      calendar: () => publish('calendar', join(resourcesDir(), 'calendar', 'cn-holidays.json')),
      'evaluation-items': () => publish('evaluation-items', join(resourcesDir(), 'evaluation', 'items.json')),
      'kiosk-config': () =>
        hall.service.appendChange({
          kioskId: null,
          stream: 'kiosk-config',
          key: CURRENT_KEY,
          op: 'put',
          data: { hallName: '沣东新城政务服务中心', idleSeconds: 120 },
        }),
      'queue-state': () =>
        hall.service.appendChange({
          kioskId: null,
          stream: 'queue-state',
          key: 'ylsb',
          op: 'put',
          data: { waiting: 3, serviceDate: '2026-12-04', at: new Date().toISOString() },
        }),
      'window-hours': () => publish('window-hours', join(resourcesDir(), 'calendar', 'window-hours.json')),
      // The hall sends case statuses itself when staff act (above).
      'case-status': () => undefined,
    };
    const publish = async (
      stream: 'catalog' | 'calendar' | 'evaluation-items' | 'window-hours',
      path: string,
    ) => {
      const doc = readPublishable(stream, path);
      if (!doc.ok) throw new Error(doc.error);
      await publishDocument(hall.service, stream, doc.data);
    };
    for (const stream of STREAMS) await publishers[stream]();

    // Everything the hall holds for this kiosk, as the kiosk pulls it.
    const kioskId = (await api.tech.syncStatus.query()).kioskId ?? '';
    const answer = await hall.service.changes(kioskId, '', 1000);
    const changes = (
      answer.body as { changes: { stream: string; key: string; op: 'put' | 'del'; data: unknown }[] }
    ).changes;
    expect(new Set(changes.map((c) => c.stream))).toEqual(new Set(STREAMS));
    for (const c of changes) {
      const stream = c.stream as Stream;
      expect(parseDocument(stream, c), `${c.stream}/${c.key}`).toMatchObject({ ok: true });
    }
    // And the kiosk applies them: no refusal recorded.
    await syncNow();
    await until(
      'the documents',
      async () => (await api.system.status.query()).hallName === '沣东新城政务服务中心',
    );
    expect(
      kiosk.db.prepare("SELECT count(*) FROM audit_log WHERE action LIKE '%-update-failed'").pluck().get(),
    ).toBe(0);
  }, 60_000);
});
