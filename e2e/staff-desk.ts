/**
 * The hall's staff desk is an ordinary office PC with a real keyboard, so its pages are typed into
 * with Playwright's fill — the one place in e2e/ allowed to (eslint.config.js refuses `.fill(` and
 * `keyboard.type(` elsewhere: kiosk inputs are typed on the kiosk's own keys, kiosk-typist.ts).
 * It checks that the field is on the hall's staff page, so it cannot quietly type into a kiosk.
 */
import type { Locator } from 'playwright-core';

export async function staffTypes(field: Locator, text: string): Promise<void> {
  const { pathname } = new URL(field.page().url());
  if (!pathname.startsWith('/staff'))
    throw new Error(`staffTypes is for the hall's staff page, not ${pathname}`);
  await field.fill(text);
}
