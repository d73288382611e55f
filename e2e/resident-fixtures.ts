/**
 * Shared set-up for the resident-flow e2e tests (进度查询, 服务评价, 排队取号): a typed API client on
 * the test kiosk (the same cookie the page gets), applications created through the real API, the
 * hall's 补正 request simulated in the database as the sync pull records it, typing on the
 * on-screen keyboard, and "every screen in zh-CN, English and elderly mode" checks.
 */
import { createTRPCClient, httpLink } from '@trpc/client';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { type AppRouter, TOKEN_COOKIE } from '../src/backend/index.js';
import { expectOk } from '../src/backend/expect-ok.js';
import { receiptFromCode } from '../src/shared/index.js';
import { liftCard, placeCard } from '../src/backend/testing/place-card.js';
import { buttonsSmallerThan, expectNoSeriousA11yViolations, type Kiosk, screenshot } from './harness.js';

export type Api = ReturnType<typeof createTRPCClient<AppRouter>>;

/** 失业登记: an ordinary item whose materials the scanner simulator can feed. */
export const UNEMPLOYMENT = '610000-RSJ-JF-05005-000';

export async function residentApi(kiosk: Kiosk): Promise<Api> {
  const res = await fetch(kiosk.url);
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  expect(cookie.startsWith(`${TOKEN_COOKIE}=`)).toBe(true);
  const api = createTRPCClient<AppRouter>({
    links: [httpLink({ url: `${kiosk.url}api`, headers: () => ({ cookie }) })],
  });
  // Devices open after listen; wait until the simulated reader, printers and scanner are up.
  for (let i = 0; i < 100; i++) {
    const s = await api.system.status.query();
    if (
      s.devices.every((d) => d.state === 'ready' || d.state === 'simulated' || d.state === 'warning') &&
      kiosk.backend.devices.idcardReader()
    )
      break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return api;
}

export function sims(kiosk: Kiosk) {
  const s = kiosk.backend.devices.simulators();
  return {
    idcard: s.idcard!,
    printer: s.printer!,
    ticketPrinter: s.ticketPrinter!,
    codeReader: s.codeReader!,
  };
}

/**
 * Places the sample resident's card, as a person does after the session started (a card lying there
 * before is never used), and waits until the reader has read it.
 */
export const insertCard = (kiosk: Kiosk): Promise<void> => placeCard(kiosk.backend.devices);
/** Takes the card off the reader and waits until the reader has seen it go. */
export const removeCard = (kiosk: Kiosk): Promise<void> => liftCard(kiosk.backend.devices);

/** Submits one 失业登记 application for the sample resident through the API; returns it. */
/** An application submitted by the sample resident, with the access code its printed receipt carries. */
export type Submitted = { id: string; receiptNo: string; accessCode: string; qr: string };

/**
 * Submits an application as the sample resident and prints its receipt (the access code is known only
 * to the receipt: docs/security.md, "Receipt access codes").
 */
export async function createApplication(api: Api, kiosk: Kiosk, key: string): Promise<Submitted> {
  const session = await api.session.start.mutate({ trigger: 'touch' });
  await insertCard(kiosk);
  try {
    const id = await api.session.identify.mutate({
      sessionId: session.id,
      role: 'applicant',
      timeoutMs: 10_000,
    });
    if (!id.ok) throw new Error(JSON.stringify(id.error));
    const target = { kind: 'item' as const, code: UNEMPLOYMENT };
    const plan = expectOk(await api.application.plan.query({ sessionId: session.id, target }));
    for (const m of plan.materials.filter((x) => x.required)) {
      const r = await api.session.scan.mutate({ sessionId: session.id, material: m.code });
      if (!r.ok) throw new Error(JSON.stringify(r));
    }
    const reason = plan.fields.find((f) => f.key === 'separationReason')?.options?.[0]?.value ?? '';
    const r = await api.application.submit.mutate({
      sessionId: session.id,
      target,
      form: {
        contactPhone: '13800138000',
        address: '陕西省西安市雁塔区示例路1号',
        lastEmployer: '西安示例有限公司',
        separationDate: '2026-10-31',
        separationReason: reason,
        jobIntention: '仓储管理',
      },
      delivery: { method: 'pickup' },
      integrityAcknowledged: true,
      idempotencyKey: `e2e-${key}`,
      lang: 'zh',
    });
    if (!r.ok) throw new Error(JSON.stringify(r.error));
    const app = r.value.applications[0]!;
    const printer = sims(kiosk).printer;
    const before = printer.receipts().length;
    const printed = await api.application.print.mutate({
      submissionId: r.value.submissionId,
      sessionId: session.id,
      lang: 'zh',
    });
    if (printed[0]?.printState !== 'printed')
      throw new Error(`receipt not printed: ${JSON.stringify(printed)}`);
    const text = printer.receipts()[before]?.text ?? '';
    const qr = /\[QR:([^\]]+)\]/.exec(text)?.[1] ?? '';
    const accessCode = receiptFromCode(qr)?.accessCode;
    if (!accessCode) throw new Error(`no access code on the receipt: ${text}`);
    return { id: app.id, receiptNo: app.receiptNo, accessCode, qr };
  } finally {
    await api.session.end.mutate({ sessionId: session.id, reason: 'finished' });
    await removeCard(kiosk);
  }
}

/** The hall asks for 补齐补正 (as the sync pull records it): status, and a history row with the materials. */
export function requestCorrection(
  kiosk: Kiosk,
  applicationId: string,
  materials: string[],
  note: string,
): void {
  const db = kiosk.backend.db;
  db.prepare("UPDATE applications SET status = 'correction-requested' WHERE id = ?").run(applicationId);
  db.prepare(
    "INSERT INTO application_status_history (application_id, status, at, source, note, detail) VALUES (?, 'correction-requested', ?, 'hall', ?, ?)",
  ).run(applicationId, new Date().toISOString(), note, JSON.stringify({ materials }));
}

/** The kiosk last heard from the hall at `at` (what the sync client records). */
export function setLastSync(kiosk: Kiosk, at: string): void {
  kiosk.backend.db
    .prepare(
      `INSERT INTO kiosk_config (key, value, updated_at) VALUES ('sync.state', ?, ?)
       ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
    )
    .run(JSON.stringify({ lastSuccessAt: at, lastError: 'offline', lastErrorAt: at, online: false }), at);
}

export const count = (kiosk: Kiosk, sql: string, ...params: unknown[]): number =>
  kiosk.backend.db
    .prepare(sql)
    .pluck()
    .get(...params) as number;

/** Types text on the on-screen keyboard (letters, "-" and digits), switching layouts as needed. */
export async function typeOnKeyboard(page: Page, text: string): Promise<void> {
  const osk = page.locator('[data-testid=on-screen-keyboard]');
  for (const ch of text) {
    const layout = await osk.getAttribute('data-layout');
    if (/[0-9]/.test(ch)) {
      if (layout !== 'digits') await osk.locator('[data-key=layout-digits]').click();
      await osk.locator(`[data-key="${ch}"]`).click();
    } else {
      if (layout !== 'letters') await osk.locator('[data-key=layout-letters]').click();
      // Letters, and "-" from the letters layout's punctuation row.
      await osk.locator(`[data-key="${ch.toLowerCase()}"]`).click();
    }
  }
}

/** Clears the field with the keyboard's 清空 key. */
export async function clearKeyboard(page: Page): Promise<void> {
  await page.locator('[data-testid=on-screen-keyboard] [data-key=clear]').click();
}

export async function setToggle(
  page: Page,
  testId: 'toggle-language' | 'toggle-elderly' | 'toggle-contrast',
  on: boolean,
): Promise<void> {
  const toggle = page.locator(`[data-testid=${testId}]`);
  if ((await toggle.getAttribute('aria-pressed')) !== String(on)) await toggle.click();
  if (testId === 'toggle-language')
    await page.waitForFunction((en) => document.documentElement.lang === (en ? 'en' : 'zh-CN'), on);
  else
    await page.waitForFunction(([cls, want]) => document.documentElement.classList.contains(cls) === want, [
      testId === 'toggle-elderly' ? 'elderly' : 'contrast',
      on,
    ] as const);
}

/**
 * The current screen in Chinese, English and elderly mode: a screenshot of each into e2e/artifacts
 * (<name>-zh / -en / -elderly), axe in Chinese and English, touch targets ≥ 44 px (≥ 60 elderly),
 * no horizontal overflow. Leaves the screen in Chinese, normal mode.
 */
export async function checkScreen(
  page: Page,
  name: string,
  opts: { modes?: readonly ('zh' | 'en' | 'elderly')[] } = {},
): Promise<void> {
  const modes = opts.modes ?? ['zh', 'en', 'elderly'];
  for (const mode of modes) {
    await setToggle(page, 'toggle-language', mode === 'en');
    await setToggle(page, 'toggle-elderly', mode === 'elderly');
    expect(await buttonsSmallerThan(page, mode === 'elderly' ? 60 : 44), `${name} ${mode}`).toEqual([]);
    const overflow = await page.evaluate(() => {
      const c = document.querySelector('.content');
      return c ? c.scrollWidth - c.clientWidth : 0;
    });
    expect(overflow, `${name} ${mode} horizontal overflow`).toBeLessThanOrEqual(1);
    await screenshot(page, `${name.replace(/^(\w+)-/, `$1-${mode}-`)}`);
    if (mode !== 'elderly') await expectNoSeriousA11yViolations(page, `${name} ${mode}`);
  }
  await setToggle(page, 'toggle-language', false);
  await setToggle(page, 'toggle-elderly', false);
}
