/**
 * The hall's hours on the home screen (issue 12; src/renderer/lib/hall-hours.ts), in a real Chromium
 * against one real backend with the shipped hours (resources/calendar/window-hours.json) and the
 * holiday calendar, the hall's clock moved with the harness's settable clock: Monday 10:00 (open:
 * today's hours), Friday 21:26 (现在不是办公时间, self-service 24 hours, opens Saturday morning), Sunday
 * (今日休息, opens Monday) and National Day on a Thursday (今日休息 with 法定节假日). zh-CN portrait,
 * English landscape and 长辈模式, with axe and screenshots. Last, the hall publishes its own notice
 * (`window-hours`, closed today for a change-over) and the kiosk, enrolled with a real reference hall,
 * pulls it through the real sync: the home line says so, over the seed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTRPCClient, httpLink } from '@trpc/client';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  expectNoSeriousA11yViolations,
  type Kiosk,
  LANDSCAPE,
  launchBrowser,
  PORTRAIT,
  screenshot,
  settableClock,
  startKiosk,
  type Viewport,
} from './harness.js';
import { setToggle } from './resident-fixtures.js';
import type { AppRouter } from '../src/backend/index.js';
import { seedHours } from '../src/backend/testing/hours.js';
import { publishDocument } from '../src/cli/hall-publish.js';
import { startHallServer, type HallServer } from '../src/hall/index.js';

const MONDAY_MORNING = '2026-12-07T10:00:00+08:00';
const FRIDAY_NIGHT = '2026-12-04T21:26:00+08:00';
const SUNDAY = '2026-12-06T10:00:00+08:00';
/** 国庆节, a Thursday: a 放假 day of the State Council's calendar. */
const NATIONAL_DAY = '2026-10-01T10:00:00+08:00';

const hallClock = settableClock(MONDAY_MORNING);
let kiosk: Kiosk;
let hall: HallServer;
let hallDir: string;
let browser: Browser;
let page: Page;
const problems: string[] = [];

beforeAll(async () => {
  hallDir = mkdtempSync(join(tmpdir(), 'zizhu-e2e-hall-'));
  hall = await startHallServer({ host: '127.0.0.1', port: 0, dataDir: hallDir }, { silent: true });
  // Configured with the hall, enrolled only by the last test.
  kiosk = await startKiosk({ clock: hallClock.clock, env: { KIOSK_HALL_URL: hall.url } });
  ({ browser, page } = await launchBrowser(PORTRAIT));
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
  });
}, 30_000);

afterAll(async () => {
  await browser?.close();
  await kiosk?.stop();
  await hall?.close();
  rmSync(hallDir, { recursive: true, force: true });
});

afterEach(() => {
  expect(problems.splice(0)).toEqual([]);
});

type Mode = { name: string; english: boolean; elderly: boolean; viewport: Viewport };
const ZH: Mode = { name: 'zh-portrait', english: false, elderly: false, viewport: PORTRAIT };
const EN: Mode = { name: 'en-landscape', english: true, elderly: false, viewport: LANDSCAPE };
const ELDERLY: Mode = { name: 'elderly-zh-portrait', english: false, elderly: true, viewport: PORTRAIT };
const ELDERLY_EN: Mode = { name: 'elderly-en-landscape', english: true, elderly: true, viewport: LANDSCAPE };

/** The home screen at `iso` in the hall, in the mode; returns the hours line's state and words. */
async function homeAt(iso: string, m: Mode): Promise<{ state: string | null; text: string }> {
  hallClock.set(iso);
  await page.setViewportSize(m.viewport);
  await page.goto(kiosk.url);
  await page.locator('[data-testid=device-status]').waitFor();
  await setToggle(page, 'toggle-language', m.english);
  await setToggle(page, 'toggle-elderly', m.elderly);
  const line = page.locator('[data-testid=home-hours]');
  await line.waitFor();
  // The line fits the screen: nothing cut off to the side.
  const box = await line.boundingBox();
  expect(box).not.toBeNull();
  expect(box!.x + box!.width).toBeLessThanOrEqual(m.viewport.width);
  return {
    state: await line.getAttribute('data-state'),
    text: (await line.innerText()).replace(/\s+/g, ' '),
  };
}

describe('the hall’s hours on the home screen', () => {
  it('Monday 10:00: today’s hours, open now', async () => {
    const zh = await homeAt(MONDAY_MORNING, ZH);
    expect(zh).toEqual({ state: 'open', text: '大厅今日办公 09:00–12:00、13:00–17:00，现在正在办公' });
    await screenshot(page, 'home-hours-open-zh-portrait');
    await expectNoSeriousA11yViolations(page, 'home hours open zh');
    const en = await homeAt(MONDAY_MORNING, EN);
    expect(en.text).toBe('The hall is open today 09:00–12:00, 13:00–17:00, and open now');
    await screenshot(page, 'home-hours-open-en-landscape');
    await expectNoSeriousA11yViolations(page, 'home hours open en');
    expect((await homeAt(MONDAY_MORNING, ELDERLY)).state).toBe('open');
    await screenshot(page, 'home-hours-open-elderly-zh-portrait');
  });

  it('Friday 21:26: not open now, self-service 24 hours, opens Saturday morning', async () => {
    const zh = await homeAt(FRIDAY_NIGHT, ZH);
    expect(zh.state).toBe('outside');
    expect(zh.text).toContain(
      '现在不是办公时间（大厅今日办公 09:00–12:00、13:00–17:00）— 自助服务 24 小时可用',
    );
    expect(zh.text).toContain('下次办公：明天（12月5日 星期六）09:00');
    await screenshot(page, 'home-hours-outside-zh-portrait');
    const en = await homeAt(FRIDAY_NIGHT, EN);
    expect(en.text).toContain('The hall is not open now');
    expect(en.text).toContain('self-service is available 24 hours');
    expect(en.text).toContain('Opens next: tomorrow');
    await screenshot(page, 'home-hours-outside-en-landscape');
    await expectNoSeriousA11yViolations(page, 'home hours outside en');
    const elderly = await homeAt(FRIDAY_NIGHT, ELDERLY);
    expect(elderly.text).toContain('自助服务 24 小时可用');
    await screenshot(page, 'home-hours-outside-elderly-zh-portrait');
    await expectNoSeriousA11yViolations(page, 'home hours outside elderly');
  });

  it('Sunday: closed today, opens Monday', async () => {
    const zh = await homeAt(SUNDAY, ZH);
    expect(zh.state).toBe('closed');
    expect(zh.text).toContain('大厅今日休息 — 自助服务 24 小时可用');
    expect(zh.text).toContain('下次办公：明天（12月7日 星期一）09:00');
    const en = await homeAt(SUNDAY, ELDERLY_EN);
    expect(en.text).toContain('The hall is closed today — self-service is available 24 hours');
    await screenshot(page, 'home-hours-closed-elderly-en-landscape');
    await expectNoSeriousA11yViolations(page, 'home hours closed elderly en');
  });

  it('National Day (a Thursday): closed for the public holiday', async () => {
    const zh = await homeAt(NATIONAL_DAY, ZH);
    expect(zh.state).toBe('closed');
    expect(zh.text).toContain('大厅今日休息（法定节假日）— 自助服务 24 小时可用');
    await screenshot(page, 'home-hours-holiday-zh-portrait');
    const en = await homeAt(NATIONAL_DAY, EN);
    expect(en.text).toContain('The hall is closed today (public holiday)');
  });

  it('the hall’s published notice (window-hours, through the real sync) replaces the seed', async () => {
    // Real time from here: the kiosk signs its requests to the hall with its clock.
    hallClock.set(new Date().toISOString());
    const cookie = ((await fetch(kiosk.url)).headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    let session = '';
    const api = createTRPCClient<AppRouter>({
      links: [
        httpLink({
          url: `${kiosk.url}api`,
          headers: () => ({ cookie, ...(session ? { 'x-tech-session': session } : {}) }),
        }),
      ],
    });
    const login = await api.tech.login.mutate({ pin: '000000' });
    if (!login.ok) throw new Error(login.error.kind);
    session = login.value.session;
    const { code } = await hall.service.createEnrollmentCode('611100');
    expect(await api.tech.syncEnroll.mutate({ code })).toMatchObject({ ok: true });
    const today = (await api.queue.hours.query()).windows[0]?.date ?? '';
    const seed = seedHours();
    await publishDocument(hall.service, 'window-hours', {
      ...seed,
      version: `${seed.version}-notice`,
      exceptions: [{ date: today, periods: [], note: { zh: '系统切换', en: 'system change-over' } }],
    });
    await expect
      .poll(async () => (await api.queue.hours.query()).windows.every((w) => w.today.kind === 'exception'), {
        timeout: 20_000,
      })
      .toBe(true);
    const zh = await homeAt(new Date().toISOString(), ZH);
    expect(zh.state).toBe('closed');
    expect(zh.text).toContain('大厅今日休息（系统切换）— 自助服务 24 小时可用');
    await screenshot(page, 'home-hours-notice-zh-portrait');
    const en = await homeAt(new Date().toISOString(), EN);
    expect(en.text).toContain('The hall is closed today (system change-over)');
  }, 60_000);
});
