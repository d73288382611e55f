/**
 * Signing in at the hall's staff desk in a real Chromium (docs/security.md, "The staff desk"): a
 * wrong password's message, a clerk's tabs and actions against a supervisor's (tabs by role), the
 * 审计日志 for the supervisor, signing out, and a session the hall ended (30 minutes idle, on the
 * hall's clock) bringing back the sign-in form with a word. Screenshots: e2e/artifacts/staff-login-*.png.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHallServer, type HallServer } from '../src/hall/index.js';
import { applicationPayload, enrolKiosk, fixtureId } from '../src/hall/testing/staff-fixture.js';
import { expectNoSeriousA11yViolations, launchBrowser, screenshot } from './harness.js';
import { addStaffAccount, staffSignsIn } from './staff-desk.js';

let root: string;
let hall: HallServer;
let browser: Browser;
let page: Page;
/** The hall's clock runs ahead by this much (to end a session without waiting 30 minutes). */
let ahead = 0;
const pageErrors: string[] = [];
const caseId = fixtureId('login-case');

async function shot(name: string): Promise<void> {
  await screenshot(page, `staff-login-${name}`, { fullPage: true });
}

const visibleTabs = () =>
  page.locator('[role=tab]:visible').evaluateAll((tabs) => tabs.map((t) => t.id.replace('tab-', '')));

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'zizhu-e2e-login-'));
  hall = await startHallServer(
    { host: '127.0.0.1', port: 0, dataDir: join(root, 'hall') },
    { silent: true, clock: () => new Date(Date.now() + ahead) },
  );
  await addStaffAccount(hall, { login: 'wang', name: '王科员', roles: ['clerk'], jurisdictions: ['610102'] });
  await addStaffAccount(hall, {
    login: 'zhao',
    name: '赵督查',
    roles: ['supervisor'],
    jurisdictions: ['610102'],
  });
  await (
    await enrolKiosk(hall, '610102')
  ).push(
    'application',
    applicationPayload('login-case', { submittedAt: new Date().toISOString(), promisedDate: null }),
  );
  ({ browser, page } = await launchBrowser({ width: 1366, height: 768 }));
  page.on('pageerror', (e) => pageErrors.push(e.message));
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await hall?.close();
  rmSync(root, { recursive: true, force: true });
});

describe('staff desk sign-in', () => {
  it('says a wrong password, and shows a clerk only the clerk’s tabs and actions', async () => {
    await page.goto(new URL('staff', hall.url).href);
    await page.locator('#login-name').waitFor();
    await staffSignsIn(page, 'wang', 'not-my-pass-1');
    await page.getByText('登录名或密码错误').waitFor({ timeout: 15_000 });
    expect(await page.locator('#password').inputValue()).toBe('');
    await shot('01-wrong-password');
    await expectNoSeriousA11yViolations(page, 'staff sign-in, wrong password');

    await staffSignsIn(page, 'wang');
    await page.locator(`tr[data-case="${caseId}"]`).waitFor({ timeout: 15_000 });
    expect(await page.locator('[data-testid=who]').innerText()).toBe('王科员 · 受理员 · 610102');
    expect(await visibleTabs()).toEqual(['cases', 'help', 'queue']);
    expect(await page.locator('#export').isVisible()).toBe(false);
    await page.locator(`tr[data-case="${caseId}"]`).getByRole('button', { name: /查看/ }).click();
    const detail = page.locator('#case-detail');
    await detail.locator('form[data-form="accept"]').waitFor({ timeout: 10_000 });
    expect(await detail.locator('form[data-form="refuse"]').count()).toBe(1);
    await shot('02-clerk');
    await expectNoSeriousA11yViolations(page, 'staff desk, clerk');

    await page.locator('#logout').click();
    await page.getByText('已退出').waitFor();
    expect(await page.locator('#desk').isHidden()).toBe(true);
    // Signed out on the hall, not just on the page: a reload stays at the form.
    await page.reload();
    await page.locator('#login-name').waitFor();
    expect(await page.locator('#desk').isHidden()).toBe(true);
    expect(pageErrors).toEqual([]);
  }, 60_000);

  it('shows a supervisor the audit log and no case actions', async () => {
    await staffSignsIn(page, 'zhao');
    await page.locator('#tab-audit').waitFor({ state: 'visible', timeout: 15_000 });
    expect(await visibleTabs()).toEqual(['cases', 'followups', 'stats', 'audit']);
    await page.locator(`tr[data-case="${caseId}"]`).getByRole('button', { name: /查看/ }).click();
    await page.getByText('您的角色无可办理操作').waitFor({ timeout: 10_000 });
    expect(await page.locator('#case-detail form').count()).toBe(0);

    await page.locator('#tab-audit').click();
    const rows = page.locator('#audit tbody tr');
    await rows.first().waitFor({ timeout: 10_000 });
    const text = await page.locator('#audit').innerText();
    // The actions in the page's words (the English page: e2e/desk-panels.e2e.test.ts).
    expect(text).toContain('登录失败');
    expect(text).toContain('退出');
    expect(text).toMatch(/zhao\s+登录\s/);
    expect(text).not.toContain('not-my-pass-1');
    await shot('03-audit');
    await expectNoSeriousA11yViolations(page, 'staff desk, audit log');
    expect(pageErrors).toEqual([]);
  }, 60_000);

  it('brings back the sign-in form when the hall has ended the session', async () => {
    ahead += 31 * 60_000; // 31 minutes without a request, on the hall's clock
    await page.locator('#refresh').click();
    await page.getByText('登录已超时或已退出').waitFor({ timeout: 15_000 });
    expect(await page.locator('#desk').isHidden()).toBe(true);
    await shot('04-expired');
    await expectNoSeriousA11yViolations(page, 'staff sign-in, session ended');
    // And signing in again works.
    await staffSignsIn(page, 'zhao');
    await page.locator('#tab-audit').waitFor({ state: 'visible', timeout: 15_000 });
    expect(pageErrors).toEqual([]);
  }, 60_000);
});
