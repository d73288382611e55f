/**
 * The capture button's colour contrast in every state (issue 12: an axe colour-contrast failure on
 * the capture button, English, landscape, seen once under load). The cause: a primary button flipped
 * both colours between enabled (white on blue) and disabled (slate on pale grey), and axe reads the
 * text colour and the background one after the other — when a scan ended mid-check it could pair
 * white text with the disabled pale background. The fix keeps a primary button's text white on a dark
 * background in every state. This test holds the scan request open to put 扫描 in each state (idle,
 * busy = disabled, after a page, after a failure), runs axe in each, and checks every mix of one
 * state's text colour with another state's background, in the normal palette (≥ 4.5:1) and in
 * 高对比度 (≥ 7:1).
 */
import type { Browser, Page, Route } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { liftCard } from '../src/backend/testing/place-card.js';
import { idcard } from '../src/devices/index.js';
import {
  checkA11yEnhancedContrast,
  expectNoSeriousA11yViolations,
  type Kiosk,
  LANDSCAPE,
  launchBrowser,
  screenshot,
  startKiosk,
} from './harness.js';
import { tapKeys, typeOnKiosk } from './kiosk-typist.js';
import { setToggle } from './resident-fixtures.js';

let kiosk: Kiosk;
let browser: Browser;
let page: Page;
let problems: string[] = [];

const sims = () => kiosk.backend.devices.simulators();

beforeAll(async () => {
  kiosk = await startKiosk();
  ({ browser, page } = await launchBrowser(LANDSCAPE));
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

beforeEach(async () => {
  problems = [];
  await liftCard(kiosk.backend.devices);
  sims().scanner!.setAdfState('empty');
  sims().scanner!.setPlatenPage('generated');
  await page.goto(kiosk.url);
  await page.locator('[data-tile=apply]').waitFor();
});

afterEach(async () => {
  await page.unrouteAll({ behavior: 'ignoreErrors' });
  expect(problems).toEqual([]);
});

type Rgb = readonly [number, number, number];
type Colours = { state: string; text: Rgb; background: Rgb };

function luminance([r, g, b]: Rgb): number {
  const lin = (c: number) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

function contrast(a: Rgb, b: Rgb): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/** The button's computed text and background colours (opaque backgrounds only, as the palette has). */
async function coloursOf(p: Page, state: string): Promise<Colours> {
  const [text, background] = await p.locator('[data-testid=capture-scan]').evaluate((el) => {
    const parse = (c: string): number[] => (c.match(/[\d.]+/g) ?? []).slice(0, 3).map(Number);
    const s = getComputedStyle(el);
    return [parse(s.color), parse(s.backgroundColor)];
  });
  return { state, text: text as unknown as Rgb, background: background as unknown as Rgb };
}

/** Every pairing of one state's text colour with any state's background (the mid-change mixes). */
function weakestMix(states: readonly Colours[]): { ratio: number; pair: string } {
  let weakest = { ratio: Infinity, pair: '' };
  for (const a of states)
    for (const b of states) {
      const ratio = contrast(a.text, b.background);
      if (ratio < weakest.ratio) weakest = { ratio, pair: `${a.state} text on ${b.state} background` };
    }
  return weakest;
}

/** 我要办事 in English up to the materials step of 社保个人权益记录 (the flow where it was seen). */
async function toMaterials(p: Page): Promise<void> {
  await setToggle(p, 'toggle-language', true);
  await p.getByRole('button', { name: 'Apply for a service', exact: true }).click();
  await p.locator('[data-testid=apply-flow][data-step=identify]').waitFor();
  await p.locator('[data-testid=mode-self]').click();
  await p.locator('[data-testid=identify-applicant] [data-testid=identify-waiting]').waitFor();
  sims().idcard!.insertCard(idcard.SAMPLE_CARDS.resident);
  await p.locator('[data-testid=apply-flow][data-step=find]').waitFor({ timeout: 20_000 });
  await typeOnKiosk(p, p.locator('[data-testid=catalog-search]'), 'record', { done: false });
  await p
    .locator('[data-testid=search-results] .item-row', { hasText: 'Social insurance personal record' })
    .click();
  await p.locator('[data-testid=guide-start]').click();
  await p.locator('[data-testid=apply-flow][data-step=form]').waitFor();
  const field = (key: string) => p.locator(`[data-field="${key}"] input`);
  await typeOnKiosk(p, field('contactPhone'), '13800138000');
  await p.locator('[data-field="insuranceType"] [data-value="unemployment"]').click();
  for (const [key, digits] of [
    ['periodStart', '20200101'],
    ['periodEnd', '20251231'],
  ] as const) {
    await field(key).click();
    await p.locator(`[data-testid=docked-keyboard][data-for="${key}"]`).waitFor();
    await tapKeys(p, digits);
    await p.locator('[data-testid=on-screen-keyboard] [data-key=done]').click();
  }
  await p.locator('[data-testid=apply-next]').click();
  await p.locator('[data-testid=apply-flow][data-step=materials]').waitFor();
}

/** Holds every scan request until released: the button stays in its busy (disabled) state. */
async function holdScans(p: Page): Promise<() => void> {
  let release: () => void = () => undefined;
  const gate = new Promise<void>((r) => (release = r));
  const handler = async (route: Route) => {
    await gate;
    await route.continue();
  };
  await p.route('**/api/session.scan*', handler);
  // Released, later scans pass at once; afterEach removes the route.
  return () => release();
}

describe('扫描 passes contrast in every state', () => {
  for (const mode of ['normal', 'contrast'] as const) {
    it(`idle, busy, after a page and after a jam; every mix of two states (English, landscape, ${mode})`, async () => {
      const check =
        mode === 'contrast'
          ? async (where: string) => {
              const v = await checkA11yEnhancedContrast(page);
              expect(v, `${where}: ${JSON.stringify(v, null, 2)}`).toEqual([]);
            }
          : (where: string) => expectNoSeriousA11yViolations(page, where);
      if (mode === 'contrast') await setToggle(page, 'toggle-contrast', true);
      await toMaterials(page);
      const box = page.locator('[data-testid=material-capture][data-material=sfz]');
      const button = box.locator('[data-testid=capture-scan]');
      const states: Colours[] = [];
      const shot = (name: string) => screenshot(page, `capture-contrast-${mode}-${name}`);

      // Idle.
      expect(await button.isEnabled()).toBe(true);
      await check('idle');
      states.push(await coloursOf(page, 'idle'));
      await shot('01-idle');

      // Busy: the scan request is held, 扫描 is disabled and the status says "scanning".
      const release = await holdScans(page);
      await button.click();
      await box.locator('[data-testid=capture-working]').waitFor();
      expect(await button.isDisabled()).toBe(true);
      await check('busy');
      states.push(await coloursOf(page, 'busy'));
      await shot('02-busy');

      // Pressed while busy is no different (a finger still on it as the scan ends).
      await button.dispatchEvent('pointerdown');
      states.push(await coloursOf(page, 'busy-pressed'));

      // After a page: enabled again ("Scan more").
      release();
      await page
        .locator('[data-testid=material-capture][data-material=sfz][data-pages="1"]')
        .waitFor({ timeout: 20_000 });
      await box.locator('[data-testid=capture-added]').waitFor();
      expect(await button.isEnabled()).toBe(true);
      await check('after a page');
      states.push(await coloursOf(page, 'after-page'));
      await shot('03-after-page');

      // After a failure: a jam in the feeder, told in words; 扫描 enabled to try again.
      sims().scanner!.feedPages(2);
      sims().scanner!.failAfter(0, 'jam');
      await button.click();
      await box.locator('[data-testid=capture-error][data-problem=jam]').waitFor({ timeout: 20_000 });
      expect(await button.isEnabled()).toBe(true);
      await check('after a jam');
      states.push(await coloursOf(page, 'after-failure'));
      await shot('04-after-failure');
      sims().scanner!.setAdfState('empty');

      // The busy state really differs from the idle one (otherwise the mixes prove nothing)…
      const busy = states.find((s) => s.state === 'busy')!;
      const idle = states.find((s) => s.state === 'idle')!;
      expect(busy.background).not.toEqual(idle.background);
      // …and whichever state the text colour and the background are read in, the pair passes.
      const weakest = weakestMix(states);
      expect(weakest.ratio, `${weakest.pair}: ${JSON.stringify(states)}`).toBeGreaterThanOrEqual(
        mode === 'contrast' ? 7 : 4.5,
      );
    });
  }
});
