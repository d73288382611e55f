/**
 * Personal data on the staff desk (docs/privacy.md, "What is shown where"): names and ID numbers are shown
 * masked (张*三, 6101**********1234) — the same rules as the kiosk's screens — and an ID photo is
 * never shown. Applied on the hall before anything leaves it, so the full values never reach a
 * browser. The masking rules themselves are src/shared/mask.ts.
 */
import { maskIdNumber, maskName } from '../shared/mask.js';

export { maskIdNumber, maskName };

/** A mainland resident ID number (15 or 18 characters) anywhere a string stands on its own. */
const ID_NUMBER = /^(\d{15}|\d{17}[\dXx])$/;
/** Keys that may carry a portrait: never shown, whatever a kiosk sends. */
const PHOTO_KEY = /photo|portrait|avatar|image|picture|头像|照片/i;

export type Field = { path: string; value: string };

/**
 * Flattens an application payload into `path: value` lines for display, leaving out `skip` keys at
 * the top level and any photo, masking every occurrence of the given names and every string that
 * looks like an ID number.
 */
export function displayFields(
  payload: Record<string, unknown>,
  names: readonly string[],
  skip: readonly string[],
): Field[] {
  const secretNames = new Set(names.filter((n) => n.length > 0));
  const out: Field[] = [];
  const text = (s: string): string =>
    secretNames.has(s) ? maskName(s) : ID_NUMBER.test(s) ? maskIdNumber(s) : s;
  const walk = (value: unknown, path: string): void => {
    if (value === null || value === undefined) return;
    if (typeof value === 'string') out.push({ path, value: text(value) });
    else if (typeof value === 'number' || typeof value === 'boolean')
      out.push({ path, value: String(value) });
    else if (Array.isArray(value)) {
      if (value.every((v) => typeof v === 'string' || typeof v === 'number')) {
        if (value.length > 0) out.push({ path, value: value.map((v) => text(String(v))).join(', ') });
      } else value.forEach((v, i) => walk(v, `${path}[${i}]`));
    } else if (typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) {
        if (PHOTO_KEY.test(k)) continue;
        walk(v, path === '' ? k : `${path}.${k}`);
      }
    }
  };
  for (const [k, v] of Object.entries(payload)) {
    if (skip.includes(k) || PHOTO_KEY.test(k)) continue;
    walk(v, k);
  }
  return out;
}
