/**
 * 即办件 with the hall online (docs/resident-journey.md, "我要办事 (apply)", step 10): the kiosk
 * submits, the application reaches the hall, staff accept and complete it while the resident waits,
 * and `application.awaitDecision` answers `decided` and prints the decision slip (办理结果通知单).
 * Without a decision in time: `timeout`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTRPCClient, httpLink } from '@trpc/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scanner } from '../devices/index.js';
import { startHallServer, type HallServer } from '../hall/index.js';
import { startKioskBackend, type KioskBackend } from './app.js';
import { loadKioskConfig } from './config.js';
import { expectOk } from './expect-ok.js';
import { createLogger } from './logger.js';
import type { AppRouter } from './rpc/router.js';
import { placeCard } from './testing/place-card.js';

const ITEM = '610000-RSJ-GG-05004-000';
let dir: string;
let hall: HallServer;
let kiosk: KioskBackend;
let api: ReturnType<typeof createTRPCClient<AppRouter>>;
let page: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'zizhu-immediate-'));
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
  cfg.config.resident.immediateWaitSeconds = 8;
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
  for (let i = 0; i < 150 && (await api.system.status.query()).network.state !== 'online'; i++)
    await new Promise((r) => setTimeout(r, 100));
  for (let i = 0; i < 100 && !kiosk.devices.idcardReader(); i++) await new Promise((r) => setTimeout(r, 50));
  page = `data:image/jpeg;base64,${(await scanner.renderSamplePage({ pageNumber: 1, resolution: 72, colorMode: 'color', content: 'document' })).toString('base64')}`;
}, 60_000);

afterAll(async () => {
  await kiosk?.close();
  await hall?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Submitted in a session that stays open: the wait for the decision is that session's. */
async function submitImmediate(key: string): Promise<{ id: string; sessionId: string }> {
  const s = await api.session.start.mutate({ trigger: 'touch' });
  // The card is placed after the session started: one lying there before is never used.
  await placeCard(kiosk.devices);
  expect(
    await api.session.identify.mutate({ sessionId: s.id, role: 'applicant', timeoutMs: 10_000 }),
  ).toMatchObject({ ok: true });
  const plan = expectOk(
    await api.application.plan.query({ sessionId: s.id, target: { kind: 'item', code: ITEM } }),
  );
  expect(plan.immediate).toBe(true);
  expect(await api.session.camera.mutate({ sessionId: s.id, material: 'sfz', image: page })).toMatchObject({
    ok: true,
  });
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
    idempotencyKey: key,
    lang: 'zh',
  });
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return { id: r.value.applications[0]!.id, sessionId: s.id };
}

describe('即办件 online', () => {
  it('waits for the hall’s decision and prints the result slip', async () => {
    const { id, sessionId } = await submitImmediate('immediate-online-1');
    const waiting = api.application.awaitDecision.mutate({ sessionId, applicationId: id, lang: 'zh' });
    // Staff decide as soon as the case has arrived.
    const staff = { name: '综合窗口', jurisdiction: '611100', jurisdictions: ['611100'] };
    for (let i = 0; i < 100; i++) {
      if ((await hall.staff.act(staff, id, { action: 'accept' })).status === 200) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(
      (await hall.staff.act(staff, id, { action: 'complete', result: '已出具个人权益记录' })).status,
    ).toBe(200);
    const decided = expectOk(await waiting);
    expect(decided).toMatchObject({ kind: 'decided', application: { status: 'completed' } });
    const slip = kiosk.devices.simulators().printer?.receipts().at(-1)?.text ?? '';
    expect(slip).toContain('办理结果通知单');
    expect(slip).toContain('已办结');
    expect(slip).toContain('已出具个人权益记录');
    expect(decided).toMatchObject({ note: '已出具个人权益记录' });
    await api.session.end.mutate({ sessionId, reason: 'finished' });
  });

  it('continues as an ordinary application when no decision comes in time', async () => {
    const { id, sessionId } = await submitImmediate('immediate-online-2');
    const r = await api.application.awaitDecision.mutate({ sessionId, applicationId: id, lang: 'zh' });
    expect(r).toMatchObject({ ok: true, value: { kind: 'timeout' } });
    await api.session.end.mutate({ sessionId, reason: 'finished' });
  });
});
