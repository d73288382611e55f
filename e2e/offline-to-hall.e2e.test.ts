/**
 * The offline-first story end to end, across two browsers and two servers: a resident applies at a
 * kiosk whose hall is down; the hall comes up and the application reaches it; a staff member sees
 * it on the staff page and requests 补正; the kiosk shows the request in 进度查询; the resident scans
 * the missing material and supplements (while the hall is down again); staff accept and complete
 * the case, and refuse a second one. 进度查询 is opened at every status the case passes through and
 * must show that status's words from the shared case lifecycle (src/shared/case-status.ts) — never
 * a raw status code.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTRPCClient, httpLink } from '@trpc/client';
import Database from 'better-sqlite3';
import type { AppRouter } from '../src/backend/index.js';
import { CASE_STATUS_INFO, CASE_STATUSES, type CaseStatus } from '../src/shared/case-status.js';
import { startHallServer, type HallServer } from '../src/hall/index.js';
import {
  launchBrowser,
  LANDSCAPE,
  openKioskPage,
  PORTRAIT,
  screenshot,
  startKiosk,
  type Kiosk,
} from './harness.js';
import { addStaffAccount, staffSignsIn, staffTypes } from './staff-desk.js';
import { createApplication, removeCard, residentApi, type Submitted } from './resident-fixtures.js';

let hallDir: string;
let hall: HallServer | null = null;
let hallPort = 0;
let kiosk: Kiosk;
let browser: Browser;
let staffBrowser: Browser;
let page: Page;
let staff: Page;

const hallConfig = () => ({ host: '127.0.0.1', port: hallPort, dataDir: hallDir });

async function until<T>(fn: () => Promise<T | undefined> | T | undefined, ms = 30_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Statuses 进度查询 was seen showing, in order. */
const shown: CaseStatus[] = [];

/**
 * Opens 进度查询 as a resident would (the receipt's QR code on the code reader) and checks the
 * status is shown in words with what it means for the resident, then goes back home.
 */
async function progressShows(receipt: Submitted, status: CaseStatus, shot: string): Promise<void> {
  // The receipt is held up once the screen hears the code reader (its event stream is open).
  await openKioskPage(page, kiosk.url);
  await page.locator('[data-tile="progress"]').click();
  await page.locator('[data-testid=progress-by-receipt]').waitFor();
  // The receipt's own QR: the number and its access code (docs/security.md, "Receipt access codes").
  kiosk.backend.devices.simulators().codeReader?.scan(receipt.qr);
  const detail = page.locator('[data-testid=progress-detail]');
  await detail.waitFor({ timeout: 10_000 });
  expect(await detail.getAttribute('data-status')).toBe(status);
  const info = CASE_STATUS_INFO[status];
  expect(await page.locator('[data-testid=detail-status] strong').innerText()).toBe(info.label.zh);
  expect(await page.locator('[data-testid=detail-explain]').innerText()).toBe(info.explain.zh);
  // The raw code never reaches the screen.
  expect(await detail.innerText()).not.toContain(status);
  await screenshot(page, `offline-to-hall-status-${shot}`);
  shown.push(status);
}

const kioskStatus = (id: string) =>
  kiosk.backend.db.prepare('SELECT status FROM applications WHERE id = ?').pluck().get(id) as string;

beforeAll(async () => {
  hallDir = mkdtempSync(join(tmpdir(), 'zizhu-e2e-hall-'));
  hall = await startHallServer(hallConfig(), { silent: true });
  hallPort = hall.port;
  kiosk = await startKiosk({ env: { KIOSK_HALL_URL: hall.url } });
  // The technician enrolled this kiosk earlier (the console and CLI paths are tested elsewhere).
  const cookie = ((await fetch(kiosk.url)).headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  let session = '';
  const tech = createTRPCClient<AppRouter>({
    links: [
      httpLink({
        url: `${kiosk.url}api`,
        headers: () => ({ cookie, ...(session ? { 'x-tech-session': session } : {}) }),
      }),
    ],
  });
  const login = await tech.tech.login.mutate({ pin: '000000' });
  if (!login.ok) throw new Error(login.error.kind);
  session = login.value.session;
  const { code } = await hall.service.createEnrollmentCode('611100');
  expect(await tech.tech.syncEnroll.mutate({ code })).toMatchObject({ ok: true });
  // The hall goes down: the kiosk is offline from here on.
  await hall.close();
  hall = null;
  ({ browser, page } = await launchBrowser(PORTRAIT));
  ({ browser: staffBrowser, page: staff } = await launchBrowser(LANDSCAPE));
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await staffBrowser?.close();
  await kiosk?.stop();
  await hall?.close();
  rmSync(hallDir, { recursive: true, force: true });
});

describe('offline application → hall → 补正 → 办结', () => {
  it('goes all the way round', async () => {
    // 1. Offline: the resident applies (the apply screens themselves are tested in apply.e2e).
    const api = await residentApi(kiosk);
    const app = await createApplication(api, kiosk, 'offline-to-hall-1');
    await removeCard(kiosk);
    const other = await createApplication(api, kiosk, 'offline-to-hall-2');
    await removeCard(kiosk);
    expect((await api.system.status.query()).network.state).not.toBe('online');
    expect(
      kiosk.backend.db
        .prepare("SELECT count(*) FROM outbox WHERE acked_at IS NULL AND kind = 'application'")
        .pluck()
        .get(),
    ).toBe(2);
    await progressShows(app, 'submitted', '1-submitted');

    // 2. The hall comes up on its address; the kiosk's backlog drains by itself.
    hall = await startHallServer(hallConfig(), { silent: true });
    // The kiosk would find it on its next backoff attempt (up to minutes); the test does not wait that out.
    kiosk.backend.nudgeSync();
    await until(async () => {
      const s = await api.system.status.query();
      return s.network.state === 'online' && s.network.backlog === 0 ? true : undefined;
    }, 60_000);
    // Acknowledged by the hall: 大厅已收件.
    await until(() => (kioskStatus(app.id) === 'received' ? true : undefined));
    await progressShows(app, 'received', '2-received');

    // 3. Staff see it on the staff page and request 补正 of the 解除劳动关系证明.
    await staff.goto(new URL('staff', hall.url).href);
    await addStaffAccount(hall, {
      login: 'window1',
      name: '综合窗口',
      roles: ['clerk', 'approver'],
      jurisdictions: ['611100'],
    });
    await staffSignsIn(staff, 'window1');
    const row = staff.locator(`tr[data-case="${app.id}"]`);
    await row.waitFor({ timeout: 15_000 });
    await row.getByRole('button', { name: /查看/ }).click();
    const detail = staff.locator('#case-detail');
    const correction = detail.locator('form[data-form="request-correction"]');
    await correction.getByLabel('解除或终止劳动关系证明').check();
    await staffTypes(correction.locator('input[name=note]'), '解除劳动关系证明模糊，请重新扫描');
    await correction.locator('button[data-action="request-correction"]').click();
    await staff
      .locator(`tr[data-case="${app.id}"] [data-status="correction-requested"]`)
      .waitFor({ timeout: 10_000 });
    await screenshot(staff, 'offline-to-hall-01-staff-correction');

    // 4. The kiosk shows it in 进度查询 (by the receipt's QR code), and the resident supplements.
    await until(() =>
      kiosk.backend.db.prepare('SELECT status FROM applications WHERE id = ?').pluck().get(app.id) ===
      'correction-requested'
        ? true
        : undefined,
    );
    await progressShows(app, 'correction-requested', '3-correction-requested');
    const kioskCorrection = page.locator('[data-testid=detail-correction]');
    await kioskCorrection.waitFor({ timeout: 10_000 });
    expect(await kioskCorrection.innerText()).toContain('解除劳动关系证明模糊');
    await screenshot(page, 'offline-to-hall-02-kiosk-correction');
    // The hall goes down again while the resident supplements: the pages stay safe at the kiosk.
    await hall.close();
    hall = null;
    await page.locator('[data-testid=correction-start]').click();
    // Opened with the receipt's access code: the materials are captured without a card.
    await page.locator('[data-testid=correction-capture]').waitFor({ timeout: 15_000 });
    await page.locator('[data-testid=capture-scan]').click();
    await page.locator('.capture-page').first().waitFor({ timeout: 20_000 });
    await page.locator('[data-testid=correction-submit]').click();
    await page.locator('[data-testid=supplement-done]').waitFor({ timeout: 10_000 });
    await removeCard(kiosk);
    await progressShows(app, 'supplement-submitted', '4-supplement-submitted');
    hall = await startHallServer(hallConfig(), { silent: true });
    kiosk.backend.nudgeSync();

    // 5. The supplement reaches the hall (back on the desk), staff complete the case.
    const hallStatus = () => {
      const db = new Database(join(hallDir, 'hall.db'), { readonly: true });
      try {
        return db.prepare('SELECT status FROM applications WHERE id = ?').pluck().get(app.id) as
          string | undefined;
      } finally {
        db.close();
      }
    };
    await until(() => (hallStatus() === 'supplement-received' ? true : undefined));
    await until(() => (kioskStatus(app.id) === 'supplement-received' ? true : undefined));
    await progressShows(app, 'supplement-received', '5-supplement-received');
    // The staff page keeps its login for the browser session: a reload shows the cases again.
    await staff.reload();
    await staff.locator(`tr[data-case="${app.id}"]`).getByRole('button', { name: /查看/ }).click();
    await detail.locator('form[data-form="accept"] button[data-action="accept"]').click();
    await staff.locator(`tr[data-case="${app.id}"] [data-status="accepted"]`).waitFor({ timeout: 10_000 });
    await until(() => (kioskStatus(app.id) === 'accepted' ? true : undefined));
    await progressShows(app, 'accepted', '6-accepted');
    await staff.locator(`tr[data-case="${app.id}"]`).getByRole('button', { name: /查看/ }).click();
    const complete = detail.locator('form[data-form="complete"]');
    await staffTypes(complete.locator('input[name=result]'), '准予发放失业保险金');
    await staffTypes(complete.locator('input[name=trackingNumber]'), 'EA123456789CN');
    await complete.locator('button[data-action="complete"]').click();
    // 办结 asks first, showing the result and the EMS number back; a closed case leaves the default list.
    const confirm = staff.getByRole('dialog');
    expect(await confirm.innerText()).toMatch(/准予发放失业保险金[\s\S]*EA123456789CN/);
    await confirm.locator('button[data-confirm=yes]').click();
    await staff.locator('#status').getByText('办结').waitFor({ timeout: 10_000 });
    await screenshot(staff, 'offline-to-hall-03-staff-completed');

    // 6. The kiosk shows 办结, with the result in the history.
    await until(() => (kioskStatus(app.id) === 'completed' ? true : undefined));
    await progressShows(app, 'completed', '7-completed');
    expect(await page.locator('[data-testid=detail-history]').innerText()).toContain('准予发放失业保险金');

    // 7. The second application is refused, with the reason shown to the resident.
    await staff.reload();
    await staff.locator(`tr[data-case="${other.id}"]`).getByRole('button', { name: /查看/ }).click();
    const refuse = detail.locator('form[data-form="refuse"]');
    await staffTypes(refuse.locator('textarea[name=reason]'), '申请人不属于本辖区参保人员');
    await refuse.locator('button[data-action="refuse"]').click();
    await staff.getByRole('dialog').locator('button[data-confirm=yes]').click();
    await until(() => (kioskStatus(other.id) === 'refused' ? true : undefined));
    await progressShows(other, 'refused', '8-refused');
    expect(await page.locator('[data-testid=detail-history]').innerText()).toContain(
      '申请人不属于本辖区参保人员',
    );

    // Every status of the case lifecycle was on the screen, in words.
    expect([...shown].sort()).toEqual([...CASE_STATUSES].sort());
  });
});
