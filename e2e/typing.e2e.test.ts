/**
 * What a resident can type on the kiosk's own keys (issue 12), in a real Chromium against the real
 * backend, typed only through the on-screen keyboard (kiosk-typist.ts): on the 存量房买卖 transfer
 * form, the seller's name 张𠮷明 (𠮷 through the 生僻字 picker), the certificate number
 * 陕（2024）西咸新区不动产权第0001234号 (digits and full-width brackets in pinyin), an address with a
 * house number (3-2-101) and 建筑面积 89.56 on the decimal pad — in zh-CN, English and elderly mode,
 * portrait and landscape, on one shared server. Screenshots of the keyboards in e2e/artifacts.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { idcard } from '../src/devices/index.js';
import {
  expectNoSeriousA11yViolations,
  type Kiosk,
  LANDSCAPE,
  launchBrowser,
  PORTRAIT,
  screenshot,
  startKiosk,
  type Viewport,
} from './harness.js';
import { typeOnKiosk } from './kiosk-typist.js';

const TRANSFER = '610000-BDC-QR-04002-000';
const CERTIFICATE = '陕（2024）西咸新区不动产权第0001234号';
const ADDRESS = '西咸新区沣东新城8号楼3-2-101室';

let kiosk: Kiosk;
let browser: Browser;
let page: Page;
let problems: string[] = [];

const sims = () => kiosk.backend.devices.simulators();
const field = (p: Page, key: string) =>
  p.locator(`[data-field="${key}"] input, [data-field="${key}"] textarea`);

beforeAll(async () => {
  kiosk = await startKiosk();
  ({ browser, page } = await launchBrowser(PORTRAIT));
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
  });
  for (let i = 0; i < 100 && !kiosk.backend.devices.idcardReader(); i++)
    await new Promise((r) => setTimeout(r, 100));
});

afterAll(async () => {
  await browser?.close();
  await kiosk?.stop();
});

beforeEach(() => {
  problems = [];
  sims().idcard!.removeCard();
});

afterEach(() => {
  expect(problems).toEqual([]);
});

type Case = { name: string; viewport: Viewport; english: boolean; elderly: boolean };

/** Home → 我要办事 → card → search 过户 (typed in pinyin) → the transfer item → its form. */
async function openTransferForm(p: Page, c: Case): Promise<void> {
  await p.setViewportSize(c.viewport);
  await p.goto(kiosk.url);
  await p.locator('[data-testid=device-status]').waitFor();
  if (c.english) await p.locator('[data-testid=toggle-language]').click();
  if (c.elderly) await p.locator('[data-testid=toggle-elderly]').click();
  await p.waitForFunction(
    ([en, elderly]) =>
      (document.documentElement.lang === 'en') === en &&
      document.documentElement.classList.contains('elderly') === elderly,
    [c.english, c.elderly] as const,
  );
  await p.locator('.tile[data-tile=apply]').click();
  await p.locator('[data-testid=apply-flow][data-step=identify]').waitFor({ timeout: 20_000 });
  await p.locator('[data-testid=mode-self]').click();
  await p.locator('[data-testid=identify-applicant] [data-testid=identify-waiting]').waitFor();
  sims().idcard!.insertCard(idcard.SAMPLE_CARDS.resident);
  await p.locator('[data-testid=apply-flow][data-step=find]').waitFor({ timeout: 40_000 });
  await typeOnKiosk(p, p.locator('[data-testid=catalog-search]'), '过户', { done: false });
  const row = p.locator(`[data-testid=search-results] .item-row[data-item="${TRANSFER}"]`);
  await row.waitFor();
  await row.click();
  await p.locator('[data-testid=apply-flow][data-step=guide]').waitFor({ timeout: 20_000 });
  await p.locator('[data-testid=guide-start]').click();
  await p.locator('[data-testid=apply-flow][data-step=form]').waitFor({ timeout: 20_000 });
}

/** 返回首页, through the farewell if one is shown: the resident's session ends before the next case. */
async function leave(p: Page): Promise<void> {
  await p.locator('.btn-home').click();
  // A session that read a card asks first (继续办理 / 结束并返回首页).
  const confirm = p.locator('[data-testid=confirm-home-leave]');
  await confirm.waitFor();
  await confirm.click();
  const farewell = p.locator('[data-testid=farewell-home]');
  await farewell.or(p.locator('[data-testid=device-status]')).first().waitFor();
  if ((await farewell.count()) > 0) await farewell.click();
  await p.locator('[data-testid=device-status]').waitFor();
  sims().idcard!.removeCard();
}

const CASES: Case[] = [
  { name: 'zh-portrait', viewport: PORTRAIT, english: false, elderly: false },
  { name: 'en-landscape', viewport: LANDSCAPE, english: true, elderly: false },
  { name: 'elderly-zh-landscape', viewport: LANDSCAPE, english: false, elderly: true },
  { name: 'elderly-en-portrait', viewport: PORTRAIT, english: true, elderly: true },
];

describe('typing on the kiosk keyboard', () => {
  for (const c of CASES) {
    it(`types a name with 𠮷, a certificate number, an address with a house number and 89.56 (${c.name})`, async () => {
      await openTransferForm(page, c);

      await typeOnKiosk(page, field(page, 'certificateNo'), CERTIFICATE, { done: false });
      expect(await field(page, 'certificateNo').inputValue()).toBe(CERTIFICATE);
      await screenshot(page, `typing-${c.name}-certificate`);
      await page.locator('[data-testid=on-screen-keyboard] [data-key=done]').click();

      await typeOnKiosk(page, field(page, 'propertyAddress'), ADDRESS);
      expect(await field(page, 'propertyAddress').inputValue()).toBe(ADDRESS);

      // 张𠮷明: 𠮷 (U+20BB7) is not among the everyday characters; the picker has it under ji.
      await typeOnKiosk(page, field(page, 'sellerName'), '张', { done: false });
      await page.locator('[data-testid=on-screen-keyboard] [data-key=j]').click();
      await page.locator('[data-testid=on-screen-keyboard] [data-key=i]').click();
      await page.locator('[data-testid=on-screen-keyboard] [data-key=rare]').click();
      const kb = page.locator('[data-testid=on-screen-keyboard]');
      await kb.locator('.osk-candidate').first().waitFor();
      await screenshot(page, `typing-${c.name}-rare-picker`);
      await expectNoSeriousA11yViolations(page, `rare picker ${c.name}`);
      // Fewest strokes first: 𠮷 (6 strokes) is a few pages on, as a person would find it.
      const rare = kb.locator('[data-key="candidate-𠮷"]');
      for (let i = 0; i < 20 && (await rare.count()) === 0; i++)
        await kb.locator('[data-key=next-page]').click();
      await rare.click();
      await kb.locator('[data-key=done]').click();
      await typeOnKiosk(page, field(page, 'sellerName'), '明');
      expect(await field(page, 'sellerName').inputValue()).toBe('张𠮷明');
      // Backspace takes 𠮷 whole (two UTF-16 units), never half of it.
      await field(page, 'sellerName').click();
      await page.locator('[data-testid=on-screen-keyboard] [data-key=backspace]').click();
      await page.locator('[data-testid=on-screen-keyboard] [data-key=backspace]').click();
      expect(await field(page, 'sellerName').inputValue()).toBe('张');
      await page.locator('[data-testid=on-screen-keyboard] [data-key=done]').click();
      await typeOnKiosk(page, field(page, 'sellerName'), '𠮷明');
      expect(await field(page, 'sellerName').inputValue()).toBe('张𠮷明');

      await typeOnKiosk(page, field(page, 'floorArea'), '89.56', { done: false });
      expect(
        await page.locator('[data-testid=docked-keyboard][data-for=floorArea] [data-layout=decimal]').count(),
      ).toBe(1);
      await screenshot(page, `typing-${c.name}-decimal`);
      await page.locator('[data-testid=on-screen-keyboard] [data-key=done]').click();
      expect(await field(page, 'floorArea').inputValue()).toBe('89.56');
      // None of these four has an error beside it.
      for (const key of ['certificateNo', 'propertyAddress', 'sellerName', 'floorArea'])
        expect(await page.locator(`[data-field=${key}] [data-testid=field-error]`).count(), key).toBe(0);
      await leave(page);
    });
  }
});
