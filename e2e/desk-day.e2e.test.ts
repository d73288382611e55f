/**
 * A day at the desk (issue 10, "done when"), in order, through a real kiosk backend enrolled with a
 * real hall and syncing for real, with one browser page per person — the resident at the kiosk, a
 * 受理员 (clerk), a 审批员 (approver), a 督查 (supervisor) and a clerk of another jurisdiction:
 *
 *  1. the resident applies at the kiosk and takes a queue number; both reach the hall;
 *  2. the clerk signs in, finds the application by its 受理编号, opens its pages in the viewer and
 *     asks for 补正 by the material's name;
 *  3. the other jurisdiction's clerk cannot see the case (list, search) or act on it (API: 404);
 *  4. the approver's desk is open; the resident supplements at the kiosk (进度查询 by the receipt's
 *     QR); the approver sees it arrive live, accepts, and completes it with an EMS number after a
 *     confirmation that shows both back; the kiosk shows 办结;
 *  5. the resident gives a 差评; the supervisor exports the day's statistics (CSV) and opens the
 *     follow-up from the case's detail;
 *  6. the clerk calls the next number — the resident's;
 *  7. a change without the CSRF token is refused.
 *
 * What each person sees is checked at every step, not only at the end. Screenshots of every desk
 * view at 1366×768: e2e/artifacts/desk-day-*.png (the desk shows Chinese with English beside it, so
 * one picture per view carries both languages).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTRPCClient, httpLink } from '@trpc/client';
import type { AppRouter } from '../src/backend/index.js';
import { ROUND_THE_CLOCK_HOURS } from '../src/backend/testing/hours.js';
import { startHallServer, type HallServer } from '../src/hall/index.js';
import { buildStaffPage } from '../src/hall/testing/staff-page-build.js';
import { formatDay } from '../src/shared/wall-clock.js';
import {
  expectNoSeriousA11yViolations,
  launchBrowser,
  openKioskPage,
  PORTRAIT,
  startKiosk,
  type Kiosk,
  screenshot,
} from './harness.js';
import { addStaffAccount, staffSignsIn, staffTypes } from './staff-desk.js';
import { createApplication, removeCard, residentApi, type Api, type Submitted } from './resident-fixtures.js';

const HERE = '611100';
const ELSEWHERE = '610104';
const DESK = { width: 1366, height: 768 } as const;

let root: string;
let hall: HallServer;
let kiosk: Kiosk;
let api: Api;
let browser: Browser;
let contexts: BrowserContext[] = [];
let resident: Page;
let clerk: Page;
let approver: Page;
let supervisor: Page;
let outsider: Page;
let app: Submitted;
let ticketNumber: string;
const pageErrors: string[] = [];

/** Waits for `fn` to give a value, polling every 100 ms, at most `ms`. */
async function until<T>(
  what: string,
  fn: () => Promise<T | undefined> | T | undefined,
  ms = 30_000,
): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function shot(page: Page, name: string): Promise<void> {
  await screenshot(page, `desk-day-${name}`);
}

async function newPage(viewport: { width: number; height: number }, touch = false): Promise<Page> {
  const context = await browser.newContext({
    viewport,
    deviceScaleFactor: 1,
    hasTouch: touch,
    locale: 'zh-CN',
  });
  contexts.push(context);
  const page = await context.newPage();
  page.on('pageerror', (e) => pageErrors.push(e.message));
  return page;
}

const kioskStatus = () =>
  kiosk.backend.db.prepare('SELECT status FROM applications WHERE id = ?').pluck().get(app.id) as string;

/** The case's status on the hall, as a desk of its jurisdiction reads it. */
const caseRow = (page: Page) => page.locator(`#cases tr[data-case="${app.id}"]`);

/** A staff API call from inside a desk page, with its own session cookie (and, if given, CSRF token). */
function fromPage(
  page: Page,
  method: string,
  path: string,
  o: { csrf?: 'own' | 'none'; body?: unknown } = {},
): Promise<{ status: number; error: string | null }> {
  return page.evaluate(
    async ({ method, path, csrf, body }) => {
      let token: string | null = null;
      if (csrf === 'own') {
        const me = (await (await fetch('/v1/staff/me')).json()) as { csrfToken: string | null };
        token = me.csrfToken;
      }
      const r = await fetch(path, {
        method,
        headers: {
          'content-type': 'application/json',
          ...(token !== null ? { 'x-csrf-token': token } : {}),
        },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
      const text = await r.text();
      let error: string | null = null;
      try {
        error = (JSON.parse(text) as { error?: string }).error ?? null;
      } catch {
        // not JSON
      }
      return { status: r.status, error };
    },
    { method, path, csrf: o.csrf ?? 'none', body: o.body },
  );
}

/** The other jurisdiction's desk never shows the case: not in its list, not its 受理编号 anywhere. */
async function outsiderSeesNothing(): Promise<void> {
  expect(await caseRow(outsider).count()).toBe(0);
  expect(await outsider.locator('body').innerText()).not.toContain(app.receiptNo);
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'zizhu-e2e-desk-day-'));
  await buildStaffPage(join(root, 'staff'));
  hall = await startHallServer(
    { host: '127.0.0.1', port: 0, dataDir: join(root, 'hall'), staffPageDir: join(root, 'staff') },
    { silent: true },
  );
  kiosk = await startKiosk({ env: { KIOSK_HALL_URL: hall.url, KIOSK_QUEUE_HOURS: ROUND_THE_CLOCK_HOURS } });
  // The technician enrolled this kiosk for the hall's jurisdiction (console and CLI tested elsewhere).
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
  const { code } = await hall.service.createEnrollmentCode(HERE);
  expect(await tech.tech.syncEnroll.mutate({ code })).toMatchObject({ ok: true });
  const people: [string, string, 'clerk' | 'approver' | 'supervisor', string][] = [
    ['chuangkou', '窗口受理员', 'clerk', HERE],
    ['shenpi', '审批员', 'approver', HERE],
    ['ducha', '督查员', 'supervisor', HERE],
    ['waidi', '外区受理员', 'clerk', ELSEWHERE],
  ];
  for (const [login, name, role, j] of people)
    await addStaffAccount(hall, { login, name, roles: [role], jurisdictions: [j] });
  ({ browser, page: resident } = await launchBrowser(PORTRAIT));
  resident.on('pageerror', (e) => pageErrors.push(e.message));
  clerk = await newPage(DESK);
  approver = await newPage(DESK);
  supervisor = await newPage(DESK);
  outsider = await newPage(DESK);
}, 120_000);

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  contexts = [];
  await browser?.close();
  await kiosk?.stop();
  await hall?.close();
  rmSync(root, { recursive: true, force: true });
});

describe('a day at the desk', () => {
  it('1. the resident applies at the kiosk and takes a number; both reach the hall', async () => {
    api = await residentApi(kiosk);
    app = await createApplication(api, kiosk, 'desk-day-1');
    await removeCard(kiosk);
    const ticket = await api.queue.issue.mutate({
      window: 'ylsb',
      idempotencyKey: 'desk-day-ticket',
      lang: 'zh',
    });
    if (!ticket.ok) throw new Error(JSON.stringify(ticket.error));
    ticketNumber = ticket.value.ticket.number;
    kiosk.backend.nudgeSync();
    await until('the hall to acknowledge the application', () =>
      kioskStatus() === 'received' ? true : undefined,
    );
  }, 60_000);

  it('2. the clerk finds it by 受理编号, views its pages and asks for 补正 by material name', async () => {
    await clerk.goto(new URL('staff', hall.url).href);
    await staffSignsIn(clerk, 'chuangkou');
    await caseRow(clerk).waitFor({ timeout: 15_000 });
    expect(await caseRow(clerk).locator('[data-status]').first().getAttribute('data-status')).toBe(
      'received',
    );
    // The applicant is masked in the list.
    expect(await clerk.locator('#cases').innerText()).not.toMatch(/张三丰|110101/);
    await shot(clerk, '01-clerk-list');

    const search = clerk.getByLabel(/搜索/);
    await staffTypes(search, app.receiptNo);
    await search.press('Enter');
    await expect.poll(() => clerk.locator('#cases tbody tr[data-case]').count()).toBe(1);
    expect(await caseRow(clerk).locator('[data-testid=receipt-no]').innerText()).toBe(app.receiptNo);
    await shot(clerk, '02-clerk-found');

    await caseRow(clerk).getByRole('button', { name: /查看/ }).click();
    const detail = clerk.locator('#case-detail');
    await detail.locator('[data-testid=case-receipt]').getByText(app.receiptNo).waitFor();
    expect(await detail.innerText()).toContain('解除或终止劳动关系证明');
    await shot(clerk, '03-clerk-detail');

    // The scanned pages of 解除或终止劳动关系证明 in the viewer (served through the authorised route).
    await detail.locator('tr[data-material=jczm]').getByRole('button', { name: /查看/ }).click();
    const viewer = clerk.getByRole('dialog');
    const img = viewer.locator('[data-testid=viewer-image]');
    await img.waitFor();
    await expect.poll(() => img.evaluate((el) => (el as HTMLImageElement).naturalWidth)).toBeGreaterThan(0);
    expect(await viewer.innerText()).toContain('解除或终止劳动关系证明');
    await shot(clerk, '04-clerk-viewer');
    await clerk.keyboard.press('Escape');
    await viewer.waitFor({ state: 'detached' });

    // 补正 by the material's name (the tick-list shows names, the code only beside).
    const correction = detail.locator('form[data-form="request-correction"]');
    await correction.getByLabel(/解除或终止劳动关系证明/).check();
    await staffTypes(
      correction.getByLabel(/补正说明|说明|Note/).first(),
      '证明上的单位公章不清晰，请重新扫描',
    );
    await correction.getByRole('button', { name: /补正/ }).click();
    await caseRow(clerk).locator('[data-status="correction-requested"]').waitFor({ timeout: 10_000 });
    await shot(clerk, '05-clerk-correction-asked');
    await until('the kiosk to hear of the 补正', () =>
      kioskStatus() === 'correction-requested' ? true : undefined,
    );
  }, 60_000);

  it('3. a clerk of another jurisdiction neither sees nor acts on the case (page and API)', async () => {
    await outsider.goto(new URL('staff', hall.url).href);
    await staffSignsIn(outsider, 'waidi');
    await outsider.locator('#cases').waitFor();
    await outsider.locator('#who').waitFor();
    await outsiderSeesNothing();
    const search = outsider.getByLabel(/搜索/);
    await staffTypes(search, app.receiptNo);
    await search.press('Enter');
    await outsider
      .locator('#cases tbody')
      .getByText(/无|No cases|没有/)
      .first()
      .waitFor({ timeout: 10_000 });
    expect(await outsider.locator('#cases tbody tr[data-case]').count()).toBe(0);
    await shot(outsider, '06-outsider-search');
    // By id, with the session's own CSRF token: the case does not exist for this account.
    expect(await fromPage(outsider, 'GET', `/v1/staff/cases/${app.id}`)).toEqual({
      status: 404,
      error: 'not-found',
    });
    expect(
      await fromPage(outsider, 'POST', `/v1/staff/cases/${app.id}/actions`, {
        csrf: 'own',
        body: { action: 'refuse', reason: '不属于本辖区' },
      }),
    ).toEqual({ status: 404, error: 'not-found' });
    expect(
      await fromPage(outsider, 'GET', `/v1/staff/cases/${app.id}/documents/correction.pdf`),
    ).toMatchObject({ status: 404 });
    expect(kioskStatus()).toBe('correction-requested');
  }, 30_000);

  it('4. the resident supplements; the approver sees it live, accepts and completes it after a confirmation', async () => {
    await approver.goto(new URL('staff', hall.url).href);
    await staffSignsIn(approver, 'shenpi');
    await caseRow(approver).locator('[data-status="correction-requested"]').waitFor({ timeout: 15_000 });
    await expect.poll(() => hall.deskEvents.listenerCount(), { timeout: 10_000 }).toBeGreaterThanOrEqual(3);
    await approver.evaluate(() => {
      (window as unknown as { loads: number }).loads = 1;
    });
    await shot(approver, '07-approver-waiting');

    // The resident at the kiosk: 进度查询 by the receipt's QR, the 补正 shown, the page scanned again.
    await openKioskPage(resident, kiosk.url);
    await resident.locator('[data-tile="progress"]').click();
    await resident.locator('[data-testid=progress-by-receipt]').waitFor();
    kiosk.backend.devices.simulators().codeReader?.scan(app.qr);
    const progress = resident.locator('[data-testid=progress-detail]');
    await progress.waitFor({ timeout: 10_000 });
    expect(await progress.getAttribute('data-status')).toBe('correction-requested');
    expect(await resident.locator('[data-testid=detail-correction]').innerText()).toContain('单位公章不清晰');
    await resident.locator('[data-testid=correction-start]').click();
    await resident.locator('[data-testid=correction-capture]').waitFor({ timeout: 15_000 });
    await resident.locator('[data-testid=capture-scan]').click();
    await resident.locator('.capture-page').first().waitFor({ timeout: 20_000 });
    await resident.locator('[data-testid=correction-submit]').click();
    await resident.locator('[data-testid=supplement-done]').waitFor({ timeout: 10_000 });
    await removeCard(kiosk);
    kiosk.backend.nudgeSync();

    // The approver's desk, without a reload: the row flagged, the feed says so.
    await expect
      .poll(() => caseRow(approver).getAttribute('data-live'), { timeout: 20_000 })
      .toBe('supplement');
    await caseRow(approver).locator('[data-status="supplement-received"]').waitFor();
    await approver.locator('#live-feed').getByText('补正材料已到').waitFor();
    expect(await approver.evaluate(() => (window as unknown as { loads?: number }).loads)).toBe(1);
    await shot(approver, '08-approver-supplement-live');
    // The clerk's desk heard it too.
    await caseRow(clerk).locator('[data-status="supplement-received"]').waitFor({ timeout: 10_000 });
    await outsiderSeesNothing();

    await caseRow(approver).getByRole('button', { name: /查看/ }).click();
    const detail = approver.locator('#case-detail');
    await detail.locator('[data-testid=case-receipt]').getByText(app.receiptNo).waitFor();
    await detail.locator('form[data-form=accept]').getByRole('button', { name: /受理/ }).click();
    await caseRow(approver).locator('[data-status="accepted"]').waitFor({ timeout: 10_000 });
    await until('the kiosk to hear of 受理', () => (kioskStatus() === 'accepted' ? true : undefined));
    const complete = detail.locator('form[data-form=complete]');
    await complete.waitFor({ timeout: 10_000 });
    await staffTypes(complete.getByLabel(/办结结果/), '准予失业登记');
    await staffTypes(complete.getByLabel(/EMS/), 'EA123456789CN');
    await complete.getByRole('button', { name: /办结/ }).click();
    const confirm = approver.getByRole('dialog');
    await confirm.waitFor();
    expect(await confirm.innerText()).toMatch(/准予失业登记[\s\S]*EA123456789CN/);
    await shot(approver, '09-approver-confirm');
    // Nothing is sent before the confirmation.
    expect(await fromPage(approver, 'GET', `/v1/staff/cases/${app.id}`)).toMatchObject({ status: 200 });
    expect(kioskStatus()).toBe('accepted');
    await confirm.getByRole('button', { name: /确认/ }).click();
    await approver.locator('#status').getByText('办结').waitFor({ timeout: 10_000 });
    await shot(approver, '10-approver-completed');
    await until('the kiosk to show 办结', () => (kioskStatus() === 'completed' ? true : undefined));
    await outsiderSeesNothing();
  }, 90_000);

  it('5. a 差评 comes in; the supervisor exports the day’s statistics and opens the follow-up from the case', async () => {
    // The resident rates the finished case 差评 at the kiosk with the receipt's access code.
    const items = await api.evaluation.items.query();
    const s = await api.session.start.mutate({ trigger: 'touch' });
    const rated = await api.evaluation.submit.mutate({
      sessionId: s.id,
      accessCode: app.accessCode,
      target: { kind: 'application', id: app.id },
      level: 'dissatisfied',
      contentItems: [],
      reason: items.reasons[0]?.code ?? '',
      idempotencyKey: 'desk-day-evaluation',
    });
    expect(rated).toMatchObject({ ok: true });
    await api.session.end.mutate({ sessionId: s.id, reason: 'finished' });
    kiosk.backend.nudgeSync();

    await supervisor.goto(new URL('staff', hall.url).href);
    await staffSignsIn(supervisor, 'ducha');
    await supervisor.locator('#who').waitFor();
    await supervisor.getByRole('tab', { name: /统计分析/ }).click();
    // The day's figures: today only, in the hall's zone.
    const today = formatDay(new Date(), 'Asia/Shanghai');
    await staffTypes(supervisor.getByLabel(/开始日期/), today);
    await staffTypes(supervisor.getByLabel(/结束日期/), today);
    await supervisor.getByRole('button', { name: /查询/ }).click();
    await supervisor.locator('[data-testid=stat-cases] b').getByText('1').waitFor({ timeout: 10_000 });
    await shot(supervisor, '11-supervisor-stats');
    const download = supervisor.waitForEvent('download');
    await supervisor.getByRole('button', { name: /导出 CSV/ }).click();
    const file = await download;
    expect(file.suggestedFilename()).toBe(`stats-${today}-${today}.csv`);
    const csv = readFileSync(await file.path())
      .subarray(3)
      .toString('utf8');
    expect(csv).toContain('办件数 Cases,1\r\n');
    expect(csv).toContain(HERE);
    expect(csv).not.toContain(ELSEWHERE);

    // The 差评 reached the hall and opened a follow-up; the case's detail links to it.
    await until('the 差评 to reach the hall', async () => {
      const n = await supervisor.evaluate(async () => {
        const r = await fetch('/v1/staff/followups');
        return r.ok ? ((await r.json()) as { followups: unknown[] }).followups.length : 0;
      });
      return n > 0 ? true : undefined;
    });
    await supervisor.getByRole('tab', { name: /办件与监察/ }).click();
    const search = supervisor.getByLabel(/搜索/);
    await supervisor.locator('#f-status').selectOption('completed');
    await staffTypes(search, app.receiptNo);
    await search.press('Enter');
    await caseRow(supervisor).getByRole('button', { name: /查看/ }).click();
    const detail = supervisor.locator('#case-detail');
    await detail.locator('[data-testid=case-receipt]').getByText(app.receiptNo).waitFor();
    // No action forms for a 督查.
    expect(await detail.locator('form[data-form]').count()).toBe(0);
    const link = detail.getByRole('link', { name: /整改任务/ });
    await link.waitFor({ timeout: 10_000 });
    expect(await link.innerText()).toContain('不满意');
    await link.scrollIntoViewIfNeeded();
    await shot(supervisor, '12-supervisor-case-followup-link');
    await expectNoSeriousA11yViolations(supervisor, 'case detail with its follow-up link');
    await link.click();
    const followup = supervisor.locator('#followup-detail');
    await followup.waitFor({ state: 'visible', timeout: 10_000 });
    expect(await supervisor.getByRole('tab', { name: /好差评整改/ }).getAttribute('aria-selected')).toBe(
      'true',
    );
    expect(await followup.innerText()).toContain(app.receiptNo);
    await followup.locator('form[data-form=start]').getByRole('button').click();
    await followup.getByText('整改中').first().waitFor({ timeout: 10_000 });
    await shot(supervisor, '13-supervisor-followup');
  }, 60_000);

  it('6. the clerk calls the next number: the resident’s', async () => {
    await clerk.getByRole('tab', { name: /叫号/ }).click();
    await clerk.getByLabel(/我的窗口/).selectOption('ylsb');
    await clerk.locator(`#queue-tickets tr[data-ticket="${ticketNumber}"]`).waitFor({ timeout: 10_000 });
    await shot(clerk, '14-clerk-queue');
    await clerk.getByRole('button', { name: /叫下一号/ }).click();
    await expect.poll(() => clerk.locator('[data-testid=queue-current]').innerText()).toBe(ticketNumber);
    await shot(clerk, '15-clerk-called');
    // The other jurisdiction's queue does not hold it.
    await outsider.getByRole('tab', { name: /叫号/ }).click();
    await outsider.getByLabel(/我的窗口/).selectOption('ylsb');
    await outsider.locator('[data-testid=queue-current]').waitFor();
    expect(await outsider.locator(`#queue-tickets tr[data-ticket="${ticketNumber}"]`).count()).toBe(0);
    await shot(outsider, '16-outsider-queue');
  }, 30_000);

  it('7. a change without the CSRF token is refused, with it accepted', async () => {
    expect(await fromPage(clerk, 'POST', '/v1/staff/queue/ylsb/next', { body: {} })).toEqual({
      status: 403,
      error: 'csrf-refused',
    });
    const withToken = await fromPage(clerk, 'POST', '/v1/staff/queue/ylsb/next', { csrf: 'own', body: {} });
    expect(withToken.error).not.toBe('csrf-refused');
    expect(pageErrors).toEqual([]);
  }, 20_000);
});
