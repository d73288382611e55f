/**
 * The hall's staff desk is an ordinary office PC with a real keyboard, so its pages are typed into
 * with Playwright's fill — the one place in e2e/ allowed to (eslint.config.js refuses `.fill(` and
 * `keyboard.type(` elsewhere: kiosk inputs are typed on the kiosk's own keys, kiosk-typist.ts).
 * It checks that the field is on the hall's staff page, so it cannot quietly type into a kiosk.
 * Staff sign in with an account (addStaffAccount, staffSignsIn).
 */
import type { Locator, Page } from 'playwright-core';
import type { HallServer } from '../src/hall/index.js';
import type { StaffRole } from '../src/shared/staff-roles.js';

export async function staffTypes(field: Locator, text: string): Promise<void> {
  const { pathname } = new URL(field.page().url());
  if (!pathname.startsWith('/staff'))
    throw new Error(`staffTypes is for the hall's staff page, not ${pathname}`);
  await field.fill(text);
}

/** The password every e2e staff account is given (the policy's ≥ 10 characters, two kinds). */
export const STAFF_PASSWORD = 'desk-pass-2026';

/** Adds a desk account on the hall (as `hall staff add` does). */
export async function addStaffAccount(
  hall: HallServer,
  a: { login: string; name: string; roles: StaffRole[]; jurisdictions: string[] },
): Promise<void> {
  const r = await hall.accounts.add({
    login: a.login,
    displayName: a.name,
    roles: a.roles,
    jurisdictions: a.jurisdictions,
    password: STAFF_PASSWORD,
  });
  if (!r.ok) throw new Error(r.error);
}

/** Signs in on the desk's login form (the page must show it). */
export async function staffSignsIn(page: Page, login: string, password = STAFF_PASSWORD): Promise<void> {
  await staffTypes(page.locator('#login-name'), login);
  await staffTypes(page.locator('#password'), password);
  await page.locator('#login-submit').click();
}
