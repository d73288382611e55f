/**
 * Types into kiosk inputs the way a resident does: by tapping the kiosk's own on-screen keys. Tests
 * never `.fill()` a kiosk input (eslint.config.js refuses it in e2e/), since filling skips the
 * keyboard and so cannot notice a key that is missing — the lesson of issue 12, where certificate
 * numbers, areas with decimals and house numbers could not be typed at all.
 *
 * For each character, what a person would do:
 *  - a hanzi: 中 layout, its pinyin (read in context by pinyin-pro: 银行 is yin hang), then the
 *    character in the candidate bar, paging on; a character the bar does not offer (𠮷, outside
 *    GB2312) through the 生僻字 picker, under the reading Unihan gives it (keyboard-data);
 *  - digits, the decimal point, X: the number pad's keys or the digit row of a text layout;
 *  - Latin letters: 英 layout, 大写 for capitals (a code field starts in capitals);
 *  - punctuation: its key, switching 全/半 when it sits in the other set.
 * A character the keyboard cannot type fails the test with the character and the layout named.
 */
import type { Locator, Page } from 'playwright-core';
import { pinyin } from 'pinyin-pro';
import { RARE_CHARS } from '../src/renderer/lib/keyboard-data/rare-chars.js';

const keyboardOf = (page: Page): Locator => page.locator('[data-testid=on-screen-keyboard]');
const isHan = (ch: string): boolean => /^\p{Script=Han}$/u.test(ch);

async function has(key: Locator): Promise<boolean> {
  return (await key.count()) > 0 && (await key.first().isVisible());
}

async function tap(key: Locator): Promise<void> {
  await key.first().click();
}

async function layoutOf(kb: Locator): Promise<string> {
  return (await kb.getAttribute('data-layout')) ?? '';
}

/** Switches to a layout if the field offers it; says whether the keyboard now shows it. */
async function useLayout(kb: Locator, layout: string): Promise<boolean> {
  if ((await layoutOf(kb)) === layout) return true;
  const modeKey = kb.locator(`[data-key="layout-${layout}"]`);
  if (!(await has(modeKey))) return false;
  await tap(modeKey);
  await kb.page().locator(`[data-testid=on-screen-keyboard][data-layout="${layout}"]`).waitFor();
  return true;
}

/** The syllable a reading-less character is listed under in the 生僻字 picker's data. */
function rareSyllable(ch: string): string | undefined {
  return Object.entries(RARE_CHARS).find(([, chars]) => chars.includes(ch))?.[0];
}

/** Readings of every character of `text`, in context (code points: 𠮷 is one); '' for non-hanzi. */
function readings(text: string): string[] {
  const read = pinyin(text, { type: 'all', toneType: 'none', v: true });
  const chars = [...text];
  if (read.length !== chars.length) throw new Error(`pinyin-pro split ${text} differently`);
  return read.map(({ origin, pinyin: reading }) =>
    /^[a-z]+$/.test(reading) ? reading : isHan(origin) ? (rareSyllable(origin) ?? '') : '',
  );
}

async function pickCandidate(kb: Locator, ch: string): Promise<boolean> {
  const candidate = kb.locator(`[data-key="candidate-${ch}"]`);
  const next = kb.locator('[data-key=next-page]');
  for (let pages = 0; pages < 60; pages++) {
    if (await has(candidate)) {
      await tap(candidate);
      return true;
    }
    if (!(await has(next)) || (await next.isDisabled())) return false;
    await tap(next);
  }
  return false;
}

async function typeHan(kb: Locator, ch: string, reading: string): Promise<void> {
  if (!(await useLayout(kb, 'pinyin'))) throw new Error(`no pinyin layout to type ${ch}`);
  if (!reading) throw new Error(`no reading known for ${ch}`);
  for (const letter of reading) await tap(kb.locator(`[data-key="${letter}"]`));
  if (await pickCandidate(kb, ch)) return;
  // Not among the everyday characters: the 生僻字 picker lists every ideograph of the reading.
  await tap(kb.locator('[data-key=rare]'));
  await kb.locator('[data-key=rare][aria-pressed=true]').waitFor();
  // The picker's characters arrive as their own chunk.
  await kb.locator('.osk-candidate').first().waitFor();
  if (await pickCandidate(kb, ch)) return;
  throw new Error(`${ch} (${reading}) is neither a candidate nor in the 生僻字 picker`);
}

async function typeLetter(kb: Locator, ch: string): Promise<void> {
  if ((await layoutOf(kb)) === 'pinyin' && !(await useLayout(kb, 'letters')))
    throw new Error(`no letters layout to type ${ch}`);
  const upper = ch !== ch.toLowerCase();
  const caps = kb.locator('[data-key=caps]');
  if (await has(caps)) {
    if ((await caps.getAttribute('aria-pressed')) !== String(upper)) await tap(caps);
  }
  const key = kb.locator(`[data-key="${ch.toLowerCase()}"]`);
  if (!(await has(key))) throw new Error(`no key for ${ch} in layout ${await layoutOf(kb)}`);
  await tap(key);
}

async function typeSymbol(kb: Locator, ch: string): Promise<void> {
  const key = kb.locator(`[data-key="${ch}"]`);
  if (await has(key)) {
    await tap(key);
    return;
  }
  const width = kb.locator('[data-key=width]');
  if (await has(width)) {
    await tap(width);
    if (await has(key)) {
      await tap(key);
      return;
    }
  }
  throw new Error(`no key for "${ch}" in layout ${await layoutOf(kb)}`);
}

export type TypeOptions = {
  /** Tap 完成 at the end (closes the docked keyboard). Default true. */
  done?: boolean;
  /** Tap 清空 first. Default false. */
  clear?: boolean;
};

/**
 * Taps `field` to bring up the on-screen keyboard, then types `text` on its keys. The field's own
 * rules apply as for a person (a date field formats 20261031 as 2026-10-31).
 */
export async function typeOnKiosk(
  page: Page,
  field: Locator,
  text: string,
  options: TypeOptions = {},
): Promise<void> {
  await field.click();
  const kb = keyboardOf(page);
  await kb.waitFor();
  if (options.clear) await tap(kb.locator('[data-key=clear]'));
  const chars = [...text];
  const reads = readings(text);
  for (const [i, ch] of chars.entries()) {
    const layout = await layoutOf(kb);
    if (isHan(ch)) await typeHan(kb, ch, reads[i] ?? '');
    // Letters on a text layout; the X of an ID number is a key of its own.
    else if (/^[a-z]$/i.test(ch) && (layout === 'pinyin' || layout === 'letters')) await typeLetter(kb, ch);
    else if (ch === ' ') await tap(kb.locator('[data-key=space]'));
    else await typeSymbol(kb, ch);
  }
  if (options.done ?? true) await tap(kb.locator('[data-key=done]'));
}

/** Types only digits on the pad that is already open (a date, a postcode, a phone number). */
export async function tapKeys(page: Page, keys: string): Promise<void> {
  const kb = keyboardOf(page);
  for (const ch of keys) await tap(kb.locator(`[data-key="${ch}"]`));
}
