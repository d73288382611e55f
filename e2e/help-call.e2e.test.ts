/**
 * 呼叫帮助 end to end (docs/resident-journey.md, "Help at any hour"): a real kiosk backend and a
 * real hall over loopback, two headless Chromium pages with Chromium's fake camera and microphone —
 * the kiosk screen and the hall's staff desk. First nobody is on duty: the kiosk says so and offers
 * the hotline. Then a member of staff signs in (on duty), the resident calls, the desk answers, and
 * the WebRTC video call connects both ways (each side's RTCPeerConnection 'connected', each side's
 * remote video playing frames). The desk hangs up; the kiosk says the call ended.
 * Screenshots: e2e/artifacts/help-call-*.png.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTRPCClient, httpLink } from '@trpc/client';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppRouter } from '../src/backend/index.js';
import { startHallServer, type HallServer } from '../src/hall/index.js';
import { LANDSCAPE, launchBrowser, PORTRAIT, screenshot, startKiosk, type Kiosk } from './harness.js';
import { addStaffAccount, staffSignsIn } from './staff-desk.js';

let root: string;
let hall: HallServer;
let kiosk: Kiosk;
let kioskBrowser: Browser;
let kioskPage: Page;
let staffBrowser: Browser;
let staffPage: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'zizhu-e2e-help-'));
  hall = await startHallServer({ host: '127.0.0.1', port: 0, dataDir: join(root, 'hall') }, { silent: true });
  const configPath = join(root, 'kiosk.json');
  writeFileSync(configPath, JSON.stringify({ help: { hotline: '029-12345', answerSeconds: 60 } }));
  kiosk = await startKiosk({ env: { KIOSK_CONFIG: configPath, KIOSK_HALL_URL: hall.url } });
  // The technician enrolled this kiosk (the console path is tested elsewhere).
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
  await tech.tech.logout.mutate();

  ({ browser: kioskBrowser, page: kioskPage } = await launchBrowser(PORTRAIT));
  ({ browser: staffBrowser, page: staffPage } = await launchBrowser(LANDSCAPE));
  for (const p of [kioskPage, staffPage]) p.on('pageerror', (e) => pageErrors.push(e.message));
}, 90_000);

afterAll(async () => {
  await kioskBrowser?.close();
  await staffBrowser?.close();
  await kiosk?.stop();
  await hall?.close();
  rmSync(root, { recursive: true, force: true });
});

const dialog = () => kioskPage.locator('[data-testid=help-dialog]');

/** Whether a video element shows frames of a live stream. */
const playing = (p: Page, selector: string) =>
  p.waitForFunction(
    (sel) => {
      const v = document.querySelector<HTMLVideoElement>(sel);
      return v !== null && v.srcObject !== null && v.videoWidth > 0 && v.readyState >= 2 && !v.paused;
    },
    selector,
    { timeout: 30_000 },
  );

describe('呼叫帮助', () => {
  it('offers the hotline while nobody is on duty', async () => {
    await kioskPage.goto(kiosk.url);
    const button = kioskPage.locator('[data-testid=help-call]');
    await button.waitFor();
    // In elderly mode the button stays a large target (≥ 60 px).
    await kioskPage.locator('[data-testid=toggle-elderly]').click();
    const box = await button.boundingBox();
    expect(box?.height ?? 0).toBeGreaterThanOrEqual(60);
    await kioskPage.locator('[data-testid=toggle-elderly]').click();

    await button.click();
    await expect.poll(() => dialog().getAttribute('data-phase')).toBe('asking');
    // No session yet: there is no name to offer, so only the call without personal details.
    expect(await kioskPage.locator('[data-testid=help-with-name]').count()).toBe(0);
    await kioskPage.locator('[data-testid=help-without-name]').click();
    await expect.poll(() => dialog().getAttribute('data-phase')).toBe('unavailable');
    expect(await kioskPage.locator('[data-testid=help-reason]').innerText()).toBe('现在没有工作人员在值守。');
    expect(await kioskPage.locator('[data-testid=help-hotline]').innerText()).toContain('029-12345');
    await screenshot(kioskPage, 'help-call-nobody-zh');

    await kioskPage.getByRole('button', { name: '知道了' }).click();
    await expect.poll(() => dialog().count()).toBe(0);

    // The same in English.
    await kioskPage.locator('[data-testid=toggle-language]').click();
    await kioskPage.locator('[data-testid=help-call]').click();
    await kioskPage.locator('[data-testid=help-without-name]').click();
    await expect
      .poll(() => kioskPage.locator('[data-testid=help-reason]').innerText())
      .toBe('Nobody is on duty at the help desk now.');
    expect(await kioskPage.locator('[data-testid=help-hotline]').innerText()).toContain('029-12345');
    await screenshot(kioskPage, 'help-call-nobody-en');
    await kioskPage.getByRole('button', { name: 'OK' }).click();
    await kioskPage.locator('[data-testid=toggle-language]').click();
    await expect.poll(() => dialog().count()).toBe(0);
  }, 60_000);

  it('connects a two-way video call when the desk answers, and ends when the desk hangs up', async () => {
    // Staff sign in: the desk's help stream makes the jurisdiction on duty.
    await staffPage.goto(new URL('/staff', hall.url).href);
    await addStaffAccount(hall, {
      login: 'wang',
      name: '王科员',
      roles: ['clerk'],
      jurisdictions: ['611100'],
    });
    await staffSignsIn(staffPage, 'wang');
    await staffPage.locator('#tab-help').click();
    await expect.poll(() => hall.help.onDuty('611100'), { timeout: 10_000 }).toBe(true);

    await kioskPage.locator('[data-testid=help-call]').click();
    await kioskPage.locator('[data-testid=help-without-name]').click();
    await expect.poll(() => dialog().getAttribute('data-phase')).toBe('waiting');
    await screenshot(kioskPage, 'help-call-waiting-zh');

    // The desk sees the request live (step 首页, no name) and answers it.
    const row = staffPage.locator('#help tbody tr[data-state=waiting]');
    await row.waitFor({ timeout: 10_000 });
    expect(await row.innerText()).toContain('首页');
    expect(await row.locator('td').nth(3).innerText()).toBe('—');
    await row.locator('button.help-answer').click();

    await expect.poll(() => dialog().getAttribute('data-phase'), { timeout: 20_000 }).toBe('connected');
    await expect
      .poll(() => kioskPage.locator('.help-videos').getAttribute('data-connection'), { timeout: 30_000 })
      .toBe('connected');
    await expect
      .poll(() => staffPage.locator('#help-call').getAttribute('data-connection'), { timeout: 30_000 })
      .toBe('connected');
    // Both ways: each side plays the other's (fake) camera, and the kiosk its own preview.
    await playing(kioskPage, '[data-testid=help-remote-video]');
    await playing(kioskPage, '[data-testid=help-local-video]');
    await playing(staffPage, '#help-remote');
    expect(await kioskPage.locator('#help-title').innerText()).toBe('已接通：王科员');
    await screenshot(kioskPage, 'help-call-connected-zh');
    await screenshot(staffPage, 'help-call-desk');

    await staffPage.locator('#help-hangup').click();
    await expect.poll(() => dialog().getAttribute('data-phase'), { timeout: 20_000 }).toBe('ended');
    // The camera is released when the call ends.
    expect(await kioskPage.locator('[data-testid=help-remote-video]').count()).toBe(0);
    await kioskPage.locator('[data-testid=help-ended-ok]').click();
    await expect.poll(() => dialog().count()).toBe(0);
    expect(pageErrors).toEqual([]);
  }, 120_000);
});
