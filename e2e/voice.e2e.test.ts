/**
 * What the kiosk says, and 收件人 同申请人 (issue 12), in a real Chromium against the real backend with
 * the simulators: speech synthesis is stubbed in the page (addInitScript) so every utterance the kiosk
 * hands to the browser is recorded with its language. Through 我要办事 with the card of 张𠮷明 (𠮷 is
 * U+20BB7): the step's instruction, the refused fields read out (form and delivery), scan progress and a
 * failed scan in words, the receipt number one character at a time, and 再听一遍 repeating the last
 * prompt — in zh-CN, English and 长辈模式 (where voice comes back on). The EMS recipient "same as
 * applicant" shows 张*明 on every screen while the kiosk stores 张𠮷明; unticked, another name is typed
 * on the on-screen keyboard. Nothing personal is ever spoken. Text only through the kiosk's keys.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { placeCard } from '../src/backend/testing/place-card.js';
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
import { tapKeys, typeOnKiosk } from './kiosk-typist.js';

/** 职工基本医疗保险退休人员待遇核定: EMS offered, one material, phone + date + choice. */
const ITEM = '610000-YBJ-QR-05011-000';
const CARD: idcard.SimCard = { ...idcard.SAMPLE_CARDS['resident-rare-name'], name: '张𠮷明' };

type Utterance = { text: string; lang: string; rate: number };

let kiosk: Kiosk;
let browser: Browser;
let page: Page;
let problems: string[] = [];

const sims = () => kiosk.backend.devices.simulators();
const fieldInput = (key: string) => page.locator(`[data-field="${key}"] input`);
const atStep = (step: string) =>
  page.locator(`[data-testid=apply-flow][data-step=${step}]`).waitFor({ timeout: 30_000 });

/** Replaces the browser's speech synthesis with a recorder (before any script of the page runs). */
function recordSpeech(): void {
  const said: { text: string; lang: string; rate: number }[] = [];
  Object.assign(window, { __utterances: said });
  class Recorded {
    text: string;
    lang = '';
    rate = 1;
    constructor(text: string) {
      this.text = text;
    }
  }
  Object.defineProperty(window, 'SpeechSynthesisUtterance', { value: Recorded, configurable: true });
  Object.defineProperty(window, 'speechSynthesis', {
    configurable: true,
    value: {
      speak: (u: Recorded) => said.push({ text: u.text, lang: u.lang, rate: u.rate }),
      cancel: () => undefined,
      getVoices: () => [],
    },
  });
}

const utterances = (): Promise<Utterance[]> =>
  page.evaluate(() => [...((window as Window & { __utterances?: Utterance[] }).__utterances ?? [])]);

/** Waits until an utterance after the first `from` contains every one of `parts`; returns it. */
async function heard(from: number, ...parts: string[]): Promise<Utterance> {
  let found: Utterance | undefined;
  await expect
    .poll(
      async () => {
        found = (await utterances()).slice(from).find((u) => parts.every((p) => u.text.includes(p)));
        return found !== undefined;
      },
      { timeout: 20_000 },
    )
    .toBe(true);
  return found!;
}

/** 再听一遍: the last prompt said again, once more. */
async function hearAgain(): Promise<void> {
  const before = await utterances();
  const last = before.at(-1);
  expect(last).toBeDefined();
  await page.locator('[data-testid=voice-repeat]').click();
  await expect.poll(async () => (await utterances()).length).toBe(before.length + 1);
  expect((await utterances()).at(-1)?.text).toBe(last?.text);
}

beforeAll(async () => {
  kiosk = await startKiosk();
  ({ browser, page } = await launchBrowser(PORTRAIT));
  await page.addInitScript(recordSpeech);
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
  });
  for (let i = 0; i < 100 && !kiosk.backend.devices.idcardReader(); i++)
    await new Promise((r) => setTimeout(r, 100));
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await kiosk?.stop();
});

beforeEach(() => {
  problems = [];
  sims().idcard!.removeCard();
  sims().printer!.setStatus('ready');
  sims().scanner!.setAdfState('empty');
  sims().scanner!.setPlatenPage('generated');
});

afterEach(() => {
  expect(problems).toEqual([]);
});

type Words = {
  identify: string;
  find: string;
  search: string;
  form: string;
  phoneLabel: string;
  required: string;
  scanning: string;
  page1: string;
  failed: string;
  postcodeLabel: string;
  missing: string;
  receipt: string;
  digitsOf0001: string;
};

const ZH: Words = {
  identify: '本人办理',
  find: '请选择要办理的事项',
  search: '待遇核定',
  form: '请填写申请信息',
  phoneLabel: '联系电话：此项必填',
  required: '还不能继续',
  scanning: '正在扫描',
  page1: '第 1 页已扫描',
  failed: '扫描没有完成',
  postcodeLabel: '邮政编码',
  missing: '还有 1 项必交材料未提交',
  receipt: '您的受理编号是：Z Z 零 一，',
  digitsOf0001: '零 零 零 一',
};
const EN: Words = {
  identify: 'For myself',
  find: 'Choose the service you need',
  search: '待遇核定',
  form: 'Fill in the form',
  phoneLabel: 'Contact phone: ',
  required: 'You cannot go on yet',
  scanning: 'Scanning',
  page1: 'page 1 is scanned',
  failed: 'The scan did not finish',
  postcodeLabel: 'Postcode',
  missing: '1 required paper is still missing',
  receipt: 'Your receipt number is: Z Z zero one,',
  digitsOf0001: 'zero zero zero one',
};

type Case = { name: string; english: boolean; elderly: boolean; words: Words; viewport: Viewport };
const CASES: Case[] = [
  { name: 'zh-portrait', english: false, elderly: false, words: ZH, viewport: PORTRAIT },
  { name: 'en-landscape', english: true, elderly: false, words: EN, viewport: LANDSCAPE },
  { name: 'elderly-zh-portrait', english: false, elderly: true, words: ZH, viewport: PORTRAIT },
  { name: 'elderly-en-landscape', english: true, elderly: true, words: EN, viewport: LANDSCAPE },
];

describe('voice that says what to do, and 收件人 同申请人', () => {
  for (const c of CASES) {
    it(`speaks each step, errors, scan progress and the receipt number; 再听一遍 (${c.name})`, async () => {
      const w = c.words;
      await page.setViewportSize(c.viewport);
      await page.goto(kiosk.url);
      await page.locator('[data-testid=device-status]').waitFor();
      if (c.english) await page.locator('[data-testid=toggle-language]').click();
      if (c.elderly) {
        // Voice switched off by the resident before: 长辈模式 turns it back on.
        await page.locator('[data-testid=toggle-voice]').click();
        expect(await page.locator('[data-testid=voice-repeat]').count()).toBe(0);
        await page.locator('[data-testid=toggle-elderly]').click();
      }
      expect(await page.locator('[data-testid=toggle-voice]').getAttribute('aria-pressed')).toBe('true');
      await page.waitForFunction(
        ([en, elderly]) =>
          (document.documentElement.lang === 'en') === en &&
          document.documentElement.classList.contains('elderly') === elderly,
        [c.english, c.elderly] as const,
      );
      await page.locator('[data-testid=voice-repeat]').waitFor();
      await screenshot(page, `voice-${c.name}-home`);

      // 1 · identify: what to do, in the screen's language (slower in 长辈模式).
      await page.locator('.tile[data-tile=apply]').click();
      await atStep('identify');
      const identify = await heard(0, w.identify);
      expect(identify.lang).toBe(c.english ? 'en-US' : 'zh-CN');
      expect(identify.rate).toBe(c.elderly ? 0.75 : 0.9);
      await page.locator('[data-testid=voice-repeat]').waitFor();
      await screenshot(page, `voice-${c.name}-identify`);
      await hearAgain();

      await page.locator('[data-testid=mode-self]').click();
      await page.locator('[data-testid=identify-applicant] [data-testid=identify-waiting]').waitFor();
      // Placed as a person does (lifted and placed again if a read fails on a loaded machine).
      await placeCard(kiosk.backend.devices, CARD);
      await atStep('find');
      let mark = (await utterances()).length;
      await heard(mark - 1, w.find);
      await typeOnKiosk(page, page.locator('[data-testid=catalog-search]'), w.search, { done: false });
      const row = page.locator(`[data-testid=search-results] .item-row[data-item="${ITEM}"]`);
      await row.waitFor();
      await row.click();
      await atStep('guide');
      await page.locator('[data-testid=guide-start]').click();

      // 4 · the form: the instruction, then 下一步 refused — the fields read out by label and problem.
      await atStep('form');
      await heard(0, w.form);
      mark = (await utterances()).length;
      await page.locator('[data-testid=apply-next]').click();
      await page.locator('[data-testid=form-errors]').waitFor();
      const refused = await heard(mark, w.required, w.phoneLabel);
      await hearAgain();
      expect((await utterances()).at(-1)?.text).toBe(refused.text);
      await typeOnKiosk(page, fieldInput('contactPhone'), '13800138000');
      await fieldInput('retirementDate').click();
      await tapKeys(page, '20261031');
      await page.locator('[data-testid=on-screen-keyboard] [data-key=done]').click();
      await page.locator('[data-field=shortfallOption] [data-value=lump-sum]').click();
      await page.locator('[data-testid=apply-next]').click();

      // 5 · materials: scanning…, page 1 scanned; a blank page said in words.
      await atStep('materials');
      const sfz = page.locator('[data-testid=material-capture][data-material=sfz]');
      // 下一步 with nothing scanned: refused, and which material is missing is said.
      mark = (await utterances()).length;
      await page.locator('[data-testid=apply-next]').click();
      await page.locator('[data-testid=materials-missing]').waitFor();
      await heard(mark, w.required, w.missing);
      sims().scanner!.setPlatenPage('nothing');
      mark = (await utterances()).length;
      await sfz.locator('[data-testid=capture-scan]').click();
      await sfz.locator('[data-testid=capture-error][data-problem=blank]').waitFor({ timeout: 20_000 });
      await heard(mark, w.scanning);
      await heard(mark, w.failed);
      sims().scanner!.setPlatenPage('generated');
      mark = (await utterances()).length;
      await sfz.locator('[data-testid=capture-retry]').click();
      await page
        .locator(`[data-testid=material-capture][data-material=sfz][data-pages="1"]`)
        .waitFor({ timeout: 20_000 });
      await heard(mark, w.scanning);
      await heard(mark, w.page1);
      await hearAgain();
      await page.locator('[data-testid=apply-next]').click();

      // 6 · EMS to the applicant: 张*明 on screen; another name on the keyboard when unticked.
      await atStep('delivery');
      await page.locator('[data-testid=delivery-ems]').click();
      const same = page.locator('[data-testid=recipient-same]');
      expect(await same.getAttribute('aria-checked')).toBe('true');
      const recipient = page.locator('[data-field=recipient]');
      expect(await recipient.getAttribute('data-locked')).toBe('true');
      expect(await recipient.innerText()).toContain('张*明');
      await screenshot(page, `voice-${c.name}-delivery-same`);
      await expectNoSeriousA11yViolations(page, `delivery same as applicant ${c.name}`);
      await same.click();
      expect(await same.getAttribute('aria-checked')).toBe('false');
      await typeOnKiosk(page, fieldInput('recipient'), '王芳');
      expect(await fieldInput('recipient').inputValue()).toBe('王芳');
      await same.click();
      expect(await recipient.innerText()).toContain('张*明');
      // No postcode yet: refused, and said.
      mark = (await utterances()).length;
      await page.locator('[data-testid=apply-next]').click();
      await heard(mark, w.required, w.postcodeLabel);
      await fieldInput('postcode').click();
      await tapKeys(page, '518000');
      await page.locator('[data-testid=on-screen-keyboard] [data-key=done]').click();
      await page.locator('[data-testid=apply-next]').click();
      await atStep('integrity');
      await page.locator('[data-testid=integrity-ack]').click();

      // 8 · review: the recipient masked.
      await atStep('review');
      expect(await page.locator('[data-review-delivery=recipient]').innerText()).toBe('张*明');
      expect(await page.locator('body').innerText()).not.toContain('𠮷');
      await page.locator('[data-testid=apply-submit]').click();

      // 9 · the result: the receipt number one character at a time; 再听一遍 says it again.
      await atStep('result');
      await page.locator('[data-testid=print-ok]').waitFor({ timeout: 20_000 });
      const receiptNo = (await page.locator('[data-testid=receipt-no]').innerText()).trim();
      const said = await heard(0, w.receipt);
      const serial = receiptNo.split('-')[2] ?? '';
      if (serial === '0001') expect(said.text).toContain(w.digitsOf0001);
      expect(said.text).not.toContain(receiptNo);
      await screenshot(page, `voice-${c.name}-result`);
      await hearAgain();
      expect((await utterances()).at(-1)?.text).toContain(w.receipt);

      // Stored with the full name from the card.
      const stored = kiosk.backend.db
        .prepare('SELECT zk_open(delivery) FROM applications WHERE receipt_no = ?')
        .pluck()
        .get(receiptNo) as string;
      expect(JSON.parse(stored)).toMatchObject({ method: 'ems', recipient: '张𠮷明', postcode: '518000' });

      // Never anything personal said: no name (full or masked), no ID number, no phone.
      const all = (await utterances()).map((u) => u.text).join('\n');
      for (const secret of ['张*明', '𠮷', CARD.idNumber, CARD.idNumber.slice(-4), '13800138000'])
        expect(all).not.toContain(secret);

      // Leave: through the evaluation's skip or 返回首页, then the farewell.
      await page.locator('.btn-home').click();
      const confirm = page.locator('[data-testid=confirm-home-leave]');
      if ((await confirm.count()) > 0) await confirm.click();
      const farewell = page.locator('[data-testid=farewell-home]');
      await farewell.or(page.locator('[data-testid=device-status]')).first().waitFor();
      if ((await farewell.count()) > 0) await farewell.click();
      await page.locator('[data-testid=device-status]').waitFor();
      if (c.elderly) await page.locator('[data-testid=toggle-elderly]').click();
      if (c.english) await page.locator('[data-testid=toggle-language]').click();
    }, 180_000);
  }
});
