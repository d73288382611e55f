/**
 * The technician console in a real Chromium against a real backend with simulated devices: the
 * hidden gesture and the PIN pad (a wrong PIN, then the development PIN 000000), every device's live
 * row, the simulator panel driving the printer into paper-out and back, test print with previews,
 * the card test (masked, never the full ID number), a test ticket, an address change refused and
 * one accepted, axe-core, screenshots, and that the console's API refuses a caller without a session.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  buttonsSmallerThan,
  expectNoSeriousA11yViolations,
  type Kiosk,
  LANDSCAPE,
  launchBrowser,
  PORTRAIT,
  screenshot,
  startKiosk,
} from './harness.js';

/** The sample card the simulator inserts (fictional person; see src/devices/idcard/sim-card.ts). */
const SAMPLE_ID_NUMBER = '11010519491231002X';
const SAMPLE_NAME = '李秀英';
const DEVICE_KINDS = ['idcard', 'printer', 'ticketPrinter', 'scanner', 'codeReader'] as const;
const ZH_TILES = ['我要办事', '进度查询', '排队取号', '办事指南', '服务评价'];

let kiosk: Kiosk;
let browser: Browser;
let page: Page;
let problems: string[] = [];
/** Refusals the tests cause on purpose (401 from the API without a session). */
let expectedRefusals = 0;
let capturedSession: string | null = null;

beforeAll(async () => {
  kiosk = await startKiosk();
  ({ browser, page } = await launchBrowser(PORTRAIT));
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
  });
  // The session is in the page's memory only; the test reads it off the wire to prove logout.
  page.on('response', (r) => {
    if (!r.url().includes('/api/tech.login')) return;
    r.json()
      .then((body: { result?: { data?: { ok?: boolean; value?: { session?: string } } } }) => {
        const data = body.result?.data;
        if (data?.ok && data.value?.session) capturedSession = data.value.session;
      })
      .catch(() => undefined);
  });
  // The page's clock is Playwright's (real pace): the tap window is stepped over, not waited out.
  await page.clock.install();
  await page.goto(kiosk.url);
  // Devices open a moment after the backend: wait until every simulator reports in.
  await page.waitForFunction(
    () => document.querySelectorAll('[data-testid=device-status] li[data-state=simulated]').length === 5,
    undefined,
    { timeout: 30_000 },
  );
});

afterAll(async () => {
  await browser?.close();
  await kiosk?.stop();
});

afterEach(() => {
  const unexpected = problems.filter((p) => !(expectedRefusals > 0 && p.includes('401')));
  expectedRefusals = 0;
  problems = [];
  expect(unexpected).toEqual([]);
});

async function expectNoHorizontalOverflow(p: Page): Promise<void> {
  const overflow = await p.evaluate(() => {
    const out: string[] = [];
    for (const el of document.querySelectorAll('.content, .masthead, .bar, .tech-section')) {
      if (el.scrollWidth > el.clientWidth + 1)
        out.push(`${el.className} ${el.scrollWidth} > ${el.clientWidth}`);
    }
    return out;
  });
  expect(overflow).toEqual([]);
}

/** Elderly mode: every visible text at least 24 px (MIIT 2021), with the first offender named. */
async function smallestText(p: Page): Promise<{ ok: boolean; size: number; at: string }> {
  return p.evaluate(() => {
    let size = Infinity;
    let at = '';
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      if (!el || !n.textContent?.trim() || el.closest('.visually-hidden')) continue;
      const rect = el.getBoundingClientRect();
      if (rect.width === 0 || rect.height === 0) continue;
      const s = parseFloat(getComputedStyle(el).fontSize);
      if (s < size) {
        size = s;
        at = `${el.tagName}.${el.className}: ${n.textContent.trim().slice(0, 20)}`;
      }
    }
    return { ok: size >= 24, size, at };
  });
}

/** Status of GET /api/<path> from inside the kiosk page (its cookie, optionally a session header). */
function apiStatus(p: Page, path: string, session?: string): Promise<number> {
  return p.evaluate(
    async ({ path, session }) => {
      const res = await fetch(`/api/${path}`, { headers: session ? { 'x-tech-session': session } : {} });
      return res.status;
    },
    { path, session },
  );
}

async function tapTitle(p: Page, times: number): Promise<void> {
  const brand = p.locator('[data-testid=brand]');
  for (let i = 0; i < times; i++) await brand.click();
}

async function typePin(p: Page, pin: string): Promise<void> {
  const keys = p.getByRole('group', { name: /数字键盘|Number keys/ });
  for (const digit of pin) await keys.getByRole('button', { name: digit, exact: true }).click();
  await p.locator('[data-testid=pin-submit]').click();
}

const row = (p: Page, kind: string) => p.locator(`[data-testid=device-${kind}]`);

describe('technician console', () => {
  it('is unreachable without the PIN: tech.* answers 401 UNAUTHORIZED without a session', async () => {
    expectedRefusals = 1;
    expect(await apiStatus(page, 'tech.overview')).toBe(401);
    const body = await page.evaluate(async () => (await fetch('/api/tech.overview')).text());
    expect(body).toContain('UNAUTHORIZED');
    expect(await apiStatus(page, 'tech.overview', 'made-up-session')).toBe(401);
    // Nothing on the home screen leads there, and four taps are not enough.
    await tapTitle(page, 4);
    expect(await page.locator('[data-testid=pin-pad]').count()).toBe(0);
    expect(await page.locator('.tile-label').allInnerTexts()).toEqual(ZH_TILES);
  });

  it('opens the PIN pad with five taps on the title; a wrong PIN says how many tries are left', async () => {
    await page.clock.fastForward(3100); // let the four taps above fall out of the window
    await tapTitle(page, 5);
    const pad = page.locator('[data-testid=pin-pad]');
    await pad.waitFor();
    expect(await pad.locator('h2').innerText()).toBe('设备维护');
    expect(await page.locator('[data-testid=pin-submit]').isDisabled()).toBe(true);
    await screenshot(page, 'tech-pin-zh-portrait');
    await expectNoSeriousA11yViolations(page, 'pin pad');

    await typePin(page, '123456');
    const feedback = page.locator('[data-testid=pin-feedback]');
    await feedback.getByText('密码错误，还可尝试 4 次').waitFor();
    // The digits were cleared for a fresh attempt.
    expect(await page.locator('[data-testid=pin-dots]').getAttribute('data-count')).toBe('0');
    await screenshot(page, 'tech-pin-wrong-zh-portrait');
    await page.setViewportSize(LANDSCAPE);
    await screenshot(page, 'tech-pin-zh-landscape');
    await page.setViewportSize(PORTRAIT);

    await typePin(page, '000000');
    await page.locator('[data-testid=tech-console]').waitFor();
    expect(capturedSession).not.toBeNull();
  });

  it('shows every device with its live state in words and its address', async () => {
    // The data directory's free space (a test machine has more than 1 GB free).
    const storage = page.locator('[data-testid=tech-storage]');
    expect(await storage.getAttribute('data-state')).toBe('ok');
    expect(await storage.innerText()).toMatch(/^数据目录剩余空间 [\d.]+ [KMGT]?B（共 [\d.]+ [KMGT]?B）$/);
    const devices = page.locator('[data-testid=tech-devices] > li');
    await devices.first().waitFor();
    expect(await devices.count()).toBe(5);
    for (const kind of DEVICE_KINDS) {
      const r = row(page, kind);
      await page.locator(`[data-testid=device-${kind}][data-state=simulated]`).waitFor();
      expect(await r.isVisible(), kind).toBe(true);
      expect(await r.locator('[data-testid=device-state]').innerText(), kind).toContain('模拟设备');
      expect(await r.locator('[data-testid=device-address]').innerText(), kind).toBe('sim:');
      // The state has an icon beside its text, never colour alone.
      expect(await r.locator('[data-testid=device-state] svg').count(), kind).toBe(1);
    }
    expect(await page.locator('[data-testid=sim-panel]').isVisible()).toBe(true);
    expect(await page.locator('[data-testid=recent-errors]').innerText()).toContain('没有故障记录');
  });

  it('puts the printer simulator into paper-out, and the test page reports it could not print', async () => {
    await page.locator('[data-testid=sim-printer] button[data-status=paper-out]').click();
    await page.locator('[data-testid=sim-printer] [data-outcome=ok]').waitFor();
    // The printer row follows through the event stream (the driver polls the printer's status).
    await page.locator('[data-testid=device-printer][data-state=fault]').waitFor({ timeout: 20_000 });
    expect(await row(page, 'printer').locator('[data-testid=device-state]').innerText()).toMatch(
      /故障[\s\S]*paper-out/,
    );

    await page.locator('[data-testid=test-print] button[data-which=printer]').click();
    const result = page.locator('[data-testid=test-print-result] [data-outcome]');
    await page.locator('[data-testid=test-print-result] [data-outcome=failed]').waitFor();
    const text = await result.innerText();
    expect(text).toContain('未能打印测试页');
    expect(text).toContain('缺纸');
    // The failed print is in the recent faults.
    await page.locator('[data-testid=recent-errors] .audit-entry').first().waitFor();
    expect(await page.locator('[data-testid=recent-errors]').innerText()).toMatch(/设备故障|测试打印未成功/);
  });

  it('prints the test page once the printer is ready again, and shows its preview', async () => {
    await page.locator('[data-testid=sim-printer] button[data-status=ready]').click();
    await page.locator('[data-testid=device-printer][data-state=simulated]').waitFor({ timeout: 20_000 });
    await page.locator('[data-testid=test-print] button[data-which=printer]').click();
    await page.locator('[data-testid=test-print-result] [data-outcome=ok]').waitFor();
    expect(await page.locator('[data-testid=test-print-result]').innerText()).toContain('测试页已打印');

    const image = page.locator('[data-testid=tech-previews] img[data-testid=preview-image]').first();
    await image.waitFor();
    expect(await image.getAttribute('src')).toMatch(/^data:image\/png;base64,/);
    await page.waitForFunction(() => {
      const img = document.querySelector<HTMLImageElement>('[data-testid=preview-image]');
      return img !== null && img.complete && img.naturalWidth > 0;
    });
    expect(await image.getAttribute('alt')).toContain('打印机');
  });

  it('reads the sample card masked: the name and ID number partly hidden, never in full', async () => {
    // tech.readCard waits for the *next* card, so the card goes on the reader while the test waits
    // (a card already lying there is not read). The two calls race on separate connections, so give
    // the read a moment to start listening, and take the card off and try again if it missed it.
    const name = page.locator('[data-testid=card-name]');
    for (let attempt = 1; attempt <= 3 && (await name.count()) === 0; attempt++) {
      await page.locator('[data-testid=sim-remove-card]').click();
      await page.locator('[data-testid=test-card] button').click();
      await page.locator('[data-testid=test-card-result] [data-outcome=running]').waitFor();
      await page.waitForTimeout(attempt * 700);
      await page.locator('[data-testid=sim-idcard] button[data-sample=resident]').click();
      await page
        .locator(
          '[data-testid=test-card-result] [data-outcome=ok], [data-testid=test-card-result] [data-outcome=failed]',
        )
        .waitFor({ timeout: 20_000 });
    }
    const maskedName = await name.innerText();
    const maskedId = await page.locator('[data-testid=card-id]').innerText();
    expect(maskedName).toContain('*');
    expect(maskedName).not.toBe(SAMPLE_NAME);
    expect(maskedId).toContain('*');
    expect(maskedId).toMatch(/^1101\*+002X$/);
    const pageText = await page.evaluate(() => document.body.innerText + document.body.innerHTML);
    expect(pageText).not.toContain(SAMPLE_ID_NUMBER);
    expect(pageText).not.toContain(SAMPLE_NAME);
    await page.locator('[data-testid=sim-card-state]').getByText('阅读器上有证件').waitFor();
    await page.locator('[data-testid=sim-remove-card]').click();
    await page.locator('[data-testid=sim-card-state]').getByText('阅读器上没有证件').waitFor();
  });

  it('issues a test ticket and shows its number; the ticket joins the previews', async () => {
    const before = await page.locator('[data-testid=preview-image]').count();
    const windows = page.locator('[data-testid=test-ticket] button[data-window]');
    await windows.first().waitFor();
    await windows.first().click();
    expect(await windows.first().getAttribute('aria-pressed')).toBe('true');
    await page.locator('[data-testid=test-ticket] button:not([data-window])').click();
    const number = page.locator('[data-testid=ticket-number]');
    await number.waitFor();
    expect(await number.innerText()).toMatch(/^[A-Z]9\d\d$/);
    expect(await page.locator('[data-testid=test-ticket-result]').innerText()).toContain('小票已打印');
    await page.waitForFunction(
      (n) => document.querySelectorAll('[data-testid=preview-image]').length > n,
      Math.min(before, 5),
    );
    expect(await page.locator('.preview').first().getAttribute('data-which')).toBe('ticketPrinter');
  });

  it('scans a test page, and reports the scanner fault when it is unplugged', async () => {
    await page.locator('[data-testid=test-scan] button').click();
    await page.locator('[data-testid=test-scan-result] [data-outcome=ok]').waitFor({ timeout: 30_000 });
    expect(await page.locator('[data-testid=test-scan-result]').innerText()).toMatch(/扫描成功，共 \d+ 页/);

    await page.locator('[data-testid=sim-scanner]').getByRole('button', { name: '断开扫描仪' }).click();
    await page.locator('[data-testid=sim-scanner] [data-outcome=ok]').waitFor();
    await page.locator('[data-testid=test-scan] button').click();
    await page.locator('[data-testid=test-scan-result] [data-outcome=failed]').waitFor({ timeout: 30_000 });
    expect(await page.locator('[data-testid=test-scan-result]').innerText()).toContain('扫描未成功');
    await page.locator('[data-testid=sim-scanner]').getByRole('button', { name: '连接扫描仪' }).click();
    await page.locator('[data-testid=device-scanner][data-state=simulated]').waitFor({ timeout: 20_000 });
  });

  it('shows the address form, shows tech.setDevice refusing a bad address, and applies a good one', async () => {
    const codeRow = row(page, 'codeReader');
    await codeRow.getByRole('button', { name: '更改地址' }).click();
    const form = page.locator('[data-testid=address-form-codeReader]');
    await form.waitFor();
    // Serial offers the kiosk's ports as choices.
    await form.locator('button[data-scheme=serial]').click();
    expect(await form.getByText('本机串口').isVisible()).toBe(true);
    // A port path with capitals, typed on the address keys with 大写.
    const keys = form.getByRole('group', { name: '地址键盘' });
    for (const ch of '/dev/ttyUSB0') {
      const upper = ch !== ch.toLowerCase();
      const caps = keys.locator('[data-key=caps]');
      if ((await caps.getAttribute('aria-pressed')) !== String(upper)) await caps.click();
      await keys.locator(`[data-key="${ch}"]`).click();
    }
    expect(await form.locator('[data-testid=address-preview]').innerText()).toBe('serial:/dev/ttyUSB0');
    await keys.locator('[data-key=caps]').click();
    await form.locator('button[data-scheme=hid]').click();
    // Typed on the on-screen keys: "12" is not VID:PID.
    await keys.getByRole('button', { name: '1', exact: true }).click();
    await keys.getByRole('button', { name: '2', exact: true }).click();
    expect(await form.locator('[data-testid=address-preview]').innerText()).toBe('hid:12');
    await form.getByRole('button', { name: '保存并重新连接' }).click();
    const error = form.locator('[data-testid=address-error]');
    await error.waitFor();
    expect(await error.innerText()).toContain('hid:VID:PID');
    await screenshot(page, 'tech-address-zh-portrait');

    await form.locator('button[data-scheme=none]').click();
    await form.getByRole('button', { name: '保存并重新连接' }).click();
    await page.locator('[data-testid=device-codeReader][data-state=not-configured]').waitFor();
    expect(await codeRow.locator('[data-testid=device-address]').innerText()).toBe('none');
    expect(await codeRow.locator('[data-testid=device-state]').innerText()).toContain('未配置');

    // …and back to the simulator.
    await codeRow.getByRole('button', { name: '更改地址' }).click();
    await form.locator('button[data-scheme=sim]').click();
    await form.getByRole('button', { name: '保存并重新连接' }).click();
    await page.locator('[data-testid=device-codeReader][data-state=simulated]').waitFor({ timeout: 20_000 });
    expect(await codeRow.locator('[data-testid=device-address]').innerText()).toBe('sim:');
  });

  it('passes axe and looks right in zh portrait, en landscape and elderly mode', async () => {
    await expectNoHorizontalOverflow(page);
    await page.locator('[data-testid=content]').evaluate((el) => (el.scrollTop = 0));
    await screenshot(page, 'tech-console-zh-portrait');
    await expectNoSeriousA11yViolations(page, 'console zh');
    await page.locator('[data-testid=test-card]').evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await screenshot(page, 'tech-tests-zh-portrait');
    await page.locator('[data-testid=tech-previews]').evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await screenshot(page, 'tech-previews-zh-portrait');
    await page.locator('[data-testid=sim-panel]').evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await screenshot(page, 'tech-sim-zh-portrait');

    await page.locator('[data-testid=toggle-language]').click();
    await page.waitForFunction(() => document.documentElement.lang === 'en');
    await page.setViewportSize(LANDSCAPE);
    await page.locator('[data-testid=content]').evaluate((el) => (el.scrollTop = 0));
    expect(await page.locator('.tech-console h2').first().innerText()).toBe('Device maintenance');
    expect(await row(page, 'printer').locator('[data-testid=device-state]').innerText()).toContain(
      'Simulated',
    );
    await expectNoHorizontalOverflow(page);
    await screenshot(page, 'tech-console-en-landscape');
    await expectNoSeriousA11yViolations(page, 'console en');

    await page.locator('[data-testid=toggle-language]').click();
    await page.waitForFunction(() => document.documentElement.lang === 'zh-CN');
    await page.setViewportSize(PORTRAIT);
    await page.locator('[data-testid=toggle-elderly]').click();
    await page.waitForFunction(() => document.documentElement.classList.contains('elderly'));
    await row(page, 'printer').getByRole('button', { name: '更改地址' }).click();
    await page.locator('[data-testid=content]').evaluate((el) => (el.scrollTop = 0));
    expect(await buttonsSmallerThan(page, 60)).toEqual([]);
    expect(await smallestText(page)).toEqual(expect.objectContaining({ ok: true }));
    await expectNoHorizontalOverflow(page);
    await screenshot(page, 'tech-console-elderly-portrait');
    await expectNoSeriousA11yViolations(page, 'console elderly');
    await row(page, 'printer').getByRole('button', { name: '取消' }).click();
    await page.locator('[data-testid=toggle-elderly]').click();
  });

  it('logs out on 返回首页: home again, and the old session is refused', async () => {
    const session = capturedSession;
    expect(session).not.toBeNull();
    expect(await apiStatus(page, 'tech.overview', session ?? '')).toBe(200);
    await page.locator('[data-testid=tech-leave]').click();
    await page.locator('.tiles').waitFor();
    expect(await page.locator('.tile-label').allInnerTexts()).toEqual(ZH_TILES);
    expectedRefusals = 1;
    await expect.poll(() => apiStatus(page, 'tech.overview', session ?? '')).toBe(401);
  });

  it('logs out by itself after two idle minutes', async () => {
    const context = await browser.newContext({ viewport: PORTRAIT, hasTouch: true, locale: 'zh-CN' });
    const idle = await context.newPage();
    try {
      await idle.clock.install();
      await idle.goto(kiosk.url);
      await idle.locator('[data-testid=device-status]').waitFor();
      await tapTitle(idle, 5);
      await typePin(idle, '000000');
      await idle.locator('[data-testid=tech-console]').waitFor();
      await idle.clock.fastForward('01:50');
      expect(await idle.locator('[data-testid=tech-console]').count()).toBe(1);
      await idle.clock.fastForward('00:15');
      await idle.locator('.tiles').waitFor();
      expect(await idle.locator('[data-testid=tech-console]').count()).toBe(0);
    } finally {
      await context.close();
    }
  });
});

describe('technician console on a production kiosk with no PIN set', () => {
  let production: Kiosk;

  beforeAll(async () => {
    production = await startKiosk({
      env: {
        KIOSK_MODE: 'production',
        KIOSK_IDCARD: 'none',
        KIOSK_PRINTER: 'none',
        KIOSK_TICKET_PRINTER: 'none',
        KIOSK_SCANNER: 'none',
        KIOSK_CODE_READER: 'none',
      },
    });
  });

  afterAll(async () => {
    await production?.stop();
  });

  it('explains how to set a PIN, and refuses the simulator controls', async () => {
    const context = await browser.newContext({ viewport: PORTRAIT, hasTouch: true, locale: 'zh-CN' });
    const p = await context.newPage();
    try {
      await p.goto(production.url);
      await p.locator('[data-testid=device-status]').waitFor();
      expect(await apiStatus(p, 'sim.state')).toBe(403);
      await tapTitle(p, 5);
      await typePin(p, '000000');
      const feedback = p.locator('[data-testid=pin-feedback]');
      await feedback.getByText('npm run cli -- tech set-pin').waitFor();
      expect(await feedback.innerText()).toContain('尚未设置维护密码');
      expect(await p.locator('[data-testid=tech-console]').count()).toBe(0);
      await screenshot(p, 'tech-pin-no-pin-zh-portrait');
    } finally {
      await context.close();
    }
  });
});
