/**
 * 电子证照 through the real pieces: a kiosk enrolled with the reference hall asks, for the identified
 * applicant, which materials the hall holds as shared licences; those are marked confirmed (no scan,
 * 已调用电子证照 on the receipt) and stay so for the plan the resident was shown even if the hall drops
 * before the submit — and once the hall is gone, a new plan asks for the same material again.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTRPCClient, httpLink } from '@trpc/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHallServer, type HallServer } from '../hall/index.js';
import { startKioskBackend, type KioskBackend } from './app.js';
import { loadKioskConfig } from './config.js';
import { expectOk } from './expect-ok.js';
import { createLogger } from './logger.js';
import type { AppRouter } from './rpc/router.js';
import { placeCard } from './testing/place-card.js';

const ITEM = '610000-RSJ-GG-05004-000'; // 社会保险个人权益记录查询打印: only 身份证 (sfz), a shared licence
const PERSONAL_TAX_RECORD = '610000-SWJ-QT-03006-000'; // 个人所得税纳税记录开具: only sfz too
let dir: string;
let hall: HallServer | null;
let kiosk: KioskBackend;
let api: ReturnType<typeof createTRPCClient<AppRouter>>;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'zizhu-licence-'));
  hall = await startHallServer({ host: '127.0.0.1', port: 0, dataDir: join(dir, 'hall') }, { silent: true });
  const cfg = loadKioskConfig({
    argv: [],
    env: {
      KIOSK_DATA_DIR: join(dir, 'kiosk'),
      KIOSK_PORT: '0',
      KIOSK_HALL_URL: hall.url,
      KIOSK_IDCARD: 'sim:?timing=fast',
      KIOSK_SCANNER: 'none',
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
  await hall.service.addLicence('11010519491231002X', 'sfz', 'SFZ-110105-0001');
  for (let i = 0; i < 100 && !kiosk.devices.idcardReader(); i++) await new Promise((r) => setTimeout(r, 50));
}, 60_000);

afterAll(async () => {
  await kiosk?.close();
  await hall?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('shared electronic licences', () => {
  it('are confirmed by the hall, need no scan, and show on the receipt', async () => {
    const s = await api.session.start.mutate({ trigger: 'touch' });
    // The card is placed after the session started: one lying there before is never used.
    await placeCard(kiosk.devices);
    expect(
      await api.session.identify.mutate({ sessionId: s.id, role: 'applicant', timeoutMs: 10_000 }),
    ).toMatchObject({ ok: true });
    const plan = expectOk(
      await api.application.plan.query({ sessionId: s.id, target: { kind: 'item', code: ITEM } }),
    );
    expect(plan.materials.find((m) => m.code === 'sfz')?.licence).toBe('confirmed');
    const r = await api.application.submit.mutate({
      sessionId: s.id,
      target: { kind: 'item', code: ITEM },
      form: {
        contactPhone: '13800138000',
        insuranceType: plan.fields.find((f) => f.key === 'insuranceType')?.options?.[0]?.value ?? '',
        periodStart: '2020-01-01',
        periodEnd: '2025-12-31',
      },
      delivery: { method: 'pickup' },
      integrityAcknowledged: true,
      idempotencyKey: 'licence-wiring-1',
      lang: 'zh',
    });
    if (!r.ok) throw new Error(JSON.stringify(r.error));
    await api.application.print.mutate({ submissionId: r.value.submissionId, lang: 'zh' });
    expect(kiosk.devices.simulators().printer?.receipts().at(-1)?.text).toContain('已调用电子证照');
    await api.session.end.mutate({ sessionId: s.id, reason: 'finished' });
  });

  it('stay confirmed from the plan the resident was shown, even when the hall drops before 提交', async () => {
    const s = await api.session.start.mutate({ trigger: 'touch' });
    // The card is placed after the session started: one lying there before is never used.
    await placeCard(kiosk.devices);
    expect(
      await api.session.identify.mutate({ sessionId: s.id, role: 'applicant', timeoutMs: 10_000 }),
    ).toMatchObject({ ok: true });
    const plan = expectOk(
      await api.application.plan.query({ sessionId: s.id, target: { kind: 'item', code: ITEM } }),
    );
    expect(plan.materials.find((m) => m.code === 'sfz')?.licence).toBe('confirmed');
    await hall?.close();
    hall = null;
    const form = {
      contactPhone: '13800138000',
      insuranceType: plan.fields.find((f) => f.key === 'insuranceType')?.options?.[0]?.value ?? '',
      periodStart: '2020-01-01',
      periodEnd: '2025-12-31',
    };
    // Another target was never planned in this session: planned now, without the hall — papers needed.
    const other = await api.application.submit.mutate({
      sessionId: s.id,
      target: { kind: 'item', code: PERSONAL_TAX_RECORD },
      form: { contactPhone: '13800138000', periodStart: '2024-01-01', periodEnd: '2024-12-31' },
      delivery: { method: 'pickup' },
      integrityAcknowledged: true,
      idempotencyKey: 'licence-wiring-other',
      lang: 'zh',
    });
    expect(other).toEqual({ ok: false, error: { kind: 'missing-materials', materials: ['sfz'] } });
    // The planned target: submitted against the plan shown, 身份证 from the hall, no scan.
    const r = await api.application.submit.mutate({
      sessionId: s.id,
      target: { kind: 'item', code: ITEM },
      form,
      delivery: { method: 'pickup' },
      integrityAcknowledged: true,
      idempotencyKey: 'licence-wiring-2',
      lang: 'zh',
    });
    if (!r.ok) throw new Error(JSON.stringify(r.error));
    const payload = JSON.parse(
      kiosk.db
        .prepare("SELECT zk_open(payload) FROM outbox WHERE kind = 'application' AND entity_id = ?")
        .pluck()
        .get(r.value.applications[0]!.id) as string,
    ) as { licences: string[]; attachments: unknown[] };
    expect(payload).toMatchObject({ licences: ['sfz'], attachments: [] });
    await api.session.end.mutate({ sessionId: s.id, reason: 'finished' });
  });

  it('are asked for again when the hall cannot answer', async () => {
    const s = await api.session.start.mutate({ trigger: 'touch' });
    // The card is placed after the session started: one lying there before is never used.
    await placeCard(kiosk.devices);
    expect(
      await api.session.identify.mutate({ sessionId: s.id, role: 'applicant', timeoutMs: 10_000 }),
    ).toMatchObject({ ok: true });
    const plan = expectOk(
      await api.application.plan.query({ sessionId: s.id, target: { kind: 'item', code: ITEM } }),
    );
    expect(plan.materials.find((m) => m.code === 'sfz')?.licence).toBe('unconfirmed');
    await api.session.end.mutate({ sessionId: s.id, reason: 'finished' });
  });
});
