/**
 * The staff desk page (GET /staff): its HTML, style sheet (/staff/app.css) and script
 * (/staff/app.js), built from src/hall/staff-web by `npm run build:staff` (vite.staff.config.ts)
 * into dist/staff and read once when the hall starts. Nothing inline, so the page runs under a CSP
 * that allows only the hall's own script, style and API.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Loaded } from './resources.js';

export const STAFF_PAGE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  "img-src 'self' blob:",
  "font-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** The page's URLs, the built file behind each and its content type. */
export const STAFF_PAGE_FILES = [
  { url: '/staff', file: 'index.html', type: 'text/html; charset=utf-8' },
  { url: '/staff/app.js', file: 'app.js', type: 'text/javascript; charset=utf-8' },
  { url: '/staff/app.css', file: 'app.css', type: 'text/css; charset=utf-8' },
] as const;

export type StaffPageFile = (typeof STAFF_PAGE_FILES)[number] & { body: Buffer };

export const STAFF_PAGE_NOT_BUILT =
  'The staff page is not built: run `npm run build:staff` (or `npm run build`), then restart the hall.';

/**
 * The built page's folder: the nearest ancestor's dist/staff holding index.html, so the hall finds
 * it the same from src/ (tsx) and from dist/node/.
 */
export function findStaffPageDir(from: string = fileURLToPath(import.meta.url)): string | null {
  let dir = dirname(from);
  for (;;) {
    const candidate = join(dir, 'dist', 'staff');
    if (existsSync(join(candidate, 'index.html'))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

/** The three built files from `dir` (default: findStaffPageDir()). */
export function loadStaffPage(dir: string | null = findStaffPageDir()): Loaded<StaffPageFile[]> {
  if (dir === null) return { ok: false, error: STAFF_PAGE_NOT_BUILT };
  try {
    return {
      ok: true,
      value: STAFF_PAGE_FILES.map((f) => ({ ...f, body: readFileSync(join(dir, f.file)) })),
    };
  } catch (e) {
    return { ok: false, error: `${STAFF_PAGE_NOT_BUILT} (${(e as Error).message})` };
  }
}
