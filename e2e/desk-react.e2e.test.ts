/**
 * The staff desk as a React app (issue 10, item 8) in a real Chromium at 1366×768, operated from the
 * keyboard alone: sign in with Enter, move between the tabs with the arrow keys / Home / End, search
 * the case list, page and sort it, open a case, ask for 补正 by material name (the history then names
 * the material, not its code), switch the language (中文 ⇄ English: <html lang>, tabs, list, pager,
 * sign-in form), sign out. axe on every view in both languages; no horizontal scrolling at 1366 wide.
 * Screenshots of every view in zh-CN and English: e2e/artifacts/desk-react-*.png.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHallServer, type HallServer } from '../src/hall/index.js';
import { applicationPayload, enrolKiosk, fixtureId, storeBlob } from '../src/hall/testing/staff-fixture.js';
import type { ApplicationEntry } from '../src/shared/wire/index.js';
import { expectNoSeriousA11yViolations, launchBrowser, screenshot } from './harness.js';
import { addStaffAccount, staffTypes } from './staff-desk.js';

const ITEM = '610000-RSJ-JF-05005-000'; // 失业登记: materials sfz / jczm / sbk
const JCZM = '解除或终止劳动关系证明';
let root: string;
let hall: HallServer;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];
const target = fixtureId('react-case-21');

async function shot(name: string): Promise<void> {
  await screenshot(page, `desk-react-${name}`);
}

/** The keyboard only: focus an element as Tab would reach it, then press. */
async function press(selector: string, key: string): Promise<void> {
  await page.locator(selector).focus();
  await page.keyboard.press(key);
}

const focusedId = () => page.evaluate(() => document.activeElement?.id ?? '');
const selectedTab = () =>
  page.locator('[role=tab][aria-selected=true]').evaluate((el) => el.id.replace('tab-', ''));
const scrollsSideways = () =>
  page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth);

function application(n: number, attachments: ApplicationEntry['attachments'] = []): ApplicationEntry {
  const base = applicationPayload(`react-case-${n}`, {
    itemCode: ITEM,
    submittedAt: new Date(Date.now() - n * 60_000).toISOString(),
    promisedDate: null,
  });
  return { ...base, receiptNo: `ZZ02-20260302-${String(n).padStart(4, '0')}`, attachments };
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'zizhu-e2e-desk-react-'));
  hall = await startHallServer({ host: '127.0.0.1', port: 0, dataDir: join(root, 'hall') }, { silent: true });
  const kiosk = await enrolKiosk(hall, '610102');
  const png = await sharp({ create: { width: 620, height: 880, channels: 3, background: '#ffffff' } })
    .png()
    .toBuffer();
  const sha = await storeBlob(hall, png);
  for (let n = 1; n <= 22; n += 1) {
    const attachments =
      n === 21
        ? [{ materialCode: 'jczm', sha256: sha, size: png.length, position: 0, mime: 'image/png' as const }]
        : [];
    expect((await kiosk.push('application', application(n, attachments))).body).toMatchObject({
      results: [{ status: 'applied' }],
    });
  }
  // Every role, so every tab shows.
  await addStaffAccount(hall, {
    login: 'liu',
    name: '刘主任',
    roles: ['clerk', 'approver', 'supervisor', 'admin'],
    jurisdictions: ['610102'],
  });
  ({ browser, page } = await launchBrowser({ width: 1366, height: 768 }));
  page.on('pageerror', (e) => pageErrors.push(e.message));
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await hall?.close();
  rmSync(root, { recursive: true, force: true });
});

describe('the staff desk as a React app, by keyboard, in both languages', () => {
  it('signs in with Enter and moves between the tabs with the arrow keys', async () => {
    await page.goto(new URL('staff', hall.url).href);
    await page.locator('#login-name').waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('zh-CN');
    // The sign-in form takes the focus; Enter in the password field signs in.
    await expect.poll(focusedId).toBe('login-name');
    await shot('01-login-zh');
    await expectNoSeriousA11yViolations(page, 'sign-in (zh-CN)');
    await press('#login-submit', 'Enter');
    await page.locator('#login-error').getByText('请输入登录名和密码').waitFor();
    await staffTypes(page.locator('#login-name'), 'liu');
    await staffTypes(page.locator('#password'), 'desk-pass-2026');
    await page.locator('#password').press('Enter');
    await page.locator('#cases tbody tr[data-case]').first().waitFor({ timeout: 15_000 });
    expect(await page.locator('[data-testid=who]').innerText()).toBe(
      '刘主任 · 受理员、审批员、督查、管理员 · 610102',
    );
    expect(await page.locator('#cases tbody tr[data-case]').count()).toBe(20);
    expect(await page.locator('#page-no').innerText()).toBe('第 1 页');
    expect(await scrollsSideways()).toBe(false);
    await shot('02-cases-zh');
    await expectNoSeriousA11yViolations(page, 'case list (zh-CN)');

    // Only the selected tab is in the Tab order; arrows, Home and End move and select.
    expect(await page.locator('[role=tab][tabindex="0"]').count()).toBe(1);
    await press('#tab-cases', 'ArrowRight');
    expect(await selectedTab()).toBe('followups');
    expect(await focusedId()).toBe('tab-followups');
    expect(await page.locator('#panel-followups').isVisible()).toBe(true);
    expect(await page.locator('#panel-cases').isVisible()).toBe(false);
    await page.keyboard.press('End');
    expect(await selectedTab()).toBe('audit');
    await page.keyboard.press('ArrowRight');
    expect(await selectedTab()).toBe('cases');
    await page.keyboard.press('ArrowLeft');
    expect(await selectedTab()).toBe('audit');
    await page.keyboard.press('Home');
    expect(await selectedTab()).toBe('cases');
  }, 60_000);

  it('pages, sorts and searches the case list from the keyboard', async () => {
    await press('#page-next', 'Enter');
    await page.locator('#page-no').getByText('第 2 页').waitFor();
    expect(await page.locator('#cases tbody tr[data-case]').count()).toBe(2);
    await press('#page-prev', 'Enter');
    await page.locator('#page-no').getByText('第 1 页').waitFor();

    // Latest received first by default (no. 22 was pushed last); Enter on 收件时间 turns it round.
    expect(await page.locator('th[data-col=received]').getAttribute('aria-sort')).toBe('descending');
    expect(
      await page.locator('#cases tbody tr[data-case] [data-testid=receipt-no]').first().innerText(),
    ).toBe('ZZ02-20260302-0022');
    await press('button[data-sort=received]', 'Enter');
    await expect
      .poll(() => page.locator('th[data-col=received]').getAttribute('aria-sort'))
      .toBe('ascending');
    await expect
      .poll(() => page.locator('#cases tbody tr[data-case] [data-testid=receipt-no]').first().innerText())
      .toBe('ZZ02-20260302-0001');

    await staffTypes(page.locator('#case-search'), 'ZZ02-20260302-0021');
    await page.locator('#case-search').press('Enter');
    await expect.poll(() => page.locator('#cases tbody tr[data-case]').count()).toBe(1);
    await page.locator(`#cases tr[data-case="${target}"]`).waitFor();
    await shot('03-found-zh');
  }, 30_000);

  it('opens a case and asks for 补正 by material name; the history names the material', async () => {
    await press(`#cases tr[data-case="${target}"] button[data-open]`, 'Enter');
    const detail = page.locator('#case-detail');
    await detail.locator('[data-testid=case-receipt]').getByText('ZZ02-20260302-0021').waitFor();
    const form = detail.locator('form[data-form="request-correction"]');
    await form.getByLabel(JCZM).focus();
    await page.keyboard.press('Space');
    expect(await form.getByLabel(JCZM).isChecked()).toBe(true);
    await press('form[data-form="request-correction"] button[data-action="request-correction"]', 'Enter');
    await page.locator('#status').getByText('补齐补正').waitFor({ timeout: 10_000 });
    await detail.locator('ol.history').getByText(`材料：${JCZM}`).waitFor({ timeout: 10_000 });
    expect(await detail.locator('ol.history').innerText()).not.toMatch(/材料：jczm/);
    await page.locator(`#cases tr[data-case="${target}"] [data-status="correction-requested"]`).waitFor();
    await shot('04-detail-zh');
    await expectNoSeriousA11yViolations(page, 'case detail (zh-CN)');
  }, 30_000);

  it('switches to English and back: html lang, tabs, list, pager and statuses follow', async () => {
    await press('#case-search-reset', 'Enter');
    await page.locator('#page-no').getByText('第 1 页').waitFor();
    await page.evaluate(() => window.scrollTo(0, 0));
    await press('#language', 'Enter');
    await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe('en');
    expect(await page.title()).toBe('Hall staff desk');
    expect(await page.locator('#language').innerText()).toBe('中文');
    expect(await page.locator('#tab-cases').innerText()).toBe('Cases');
    expect(await page.locator('#page-no').innerText()).toBe('Page 1');
    expect(await page.locator('[data-testid=who]').innerText()).toBe(
      '刘主任 · Clerk, Approver, Supervisor, Admin · 610102',
    );
    const row = page.locator('#cases tbody tr[data-case]').first();
    expect(await row.locator('[data-status]').innerText()).not.toMatch(/[\u4e00-\u9fff]/u);
    await row.getByRole('button', { name: /^Open ZZ02-20260302-\d{4}$/ }).waitFor();
    expect(await page.locator('#cases caption').innerText()).toBe('Cases of your jurisdiction');
    expect(await page.locator('#f-status option[value=""]').innerText()).toBe('Open');
    expect(await scrollsSideways()).toBe(false);
    await shot('05-cases-en');
    await expectNoSeriousA11yViolations(page, 'case list (English)');

    // Every other tab in both languages, reached by the arrow keys.
    const tabs = ['followups', 'stats', 'fleet', 'help', 'queue', 'audit'];
    for (const [i, name] of tabs.entries()) {
      await press(`#tab-${i === 0 ? 'cases' : tabs[i - 1]}`, 'ArrowRight');
      expect(await selectedTab()).toBe(name);
      await page.locator(`#panel-${name}`).waitFor();
      await shot(`06-${name}-en`);
      await expectNoSeriousA11yViolations(page, `${name} (English)`);
    }
    expect(await page.locator('#audit caption').innerText()).toBe('Audit log: who did what, when');
    await press('#language', 'Enter');
    await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe('zh-CN');
    expect(await page.locator('#tab-audit').innerText()).toBe('审计日志');
    for (const name of tabs) {
      await press(`#tab-${name}`, 'Enter');
      await page.locator(`#panel-${name}`).waitFor();
      await shot(`07-${name}-zh`);
      await expectNoSeriousA11yViolations(page, `${name} (zh-CN)`);
    }
    // The audit log (a view still drawn by its builder) kept its rows through both switches.
    expect(await page.locator('#audit tbody tr').count()).toBeGreaterThan(0);
  }, 90_000);

  it('signs out by keyboard and shows the sign-in form in the language chosen', async () => {
    await press('#language', 'Enter');
    await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe('en');
    await press('#logout', 'Enter');
    await page.locator('#login-error').getByText('Signed out').waitFor();
    expect(await page.locator('#desk').isHidden()).toBe(true);
    expect(await focusedId()).toBe('login-name');
    expect(await page.locator('#login-title').innerText()).toBe('Sign in');
    await shot('08-login-en');
    await expectNoSeriousA11yViolations(page, 'sign-in (English)');
    expect(pageErrors).toEqual([]);
  }, 30_000);
});
