/**
 * Where the Noto Sans CJK collection lives (Debian/Ubuntu: fonts-noto-cjk), for everything that
 * typesets Chinese into a PDF: the kiosk's scan archive and application form, and the hall's
 * documents (受理通知书 …). One place, so the kiosk and the hall find the font the same way.
 */
import { existsSync } from 'node:fs';

export const NOTO_CJK_PATH = '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc';
/** The Simplified Chinese face inside the collection. */
export const NOTO_CJK_FACE = 'NotoSansCJKsc-Regular';
export const NOTO_CJK_BOLD_PATH = '/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc';
export const NOTO_CJK_BOLD_FACE = 'NotoSansCJKsc-Bold';

export type CjkFont = { path: string; face: string };
export type CjkFonts = { regular: CjkFont; bold: CjkFont };

/**
 * The regular and bold faces, `path` overriding the regular one (its face then taken as the
 * collection's sc face). Bold falls back to regular when it is not installed; no regular font is an
 * error value naming the file and the package to install.
 */
export function findCjkFonts(path?: string): { ok: true; fonts: CjkFonts } | { ok: false; error: string } {
  const regular = { path: path ?? NOTO_CJK_PATH, face: NOTO_CJK_FACE };
  if (!existsSync(regular.path))
    return { ok: false, error: `the CJK font ${regular.path} is not installed (Debian: fonts-noto-cjk)` };
  const bold =
    path === undefined && existsSync(NOTO_CJK_BOLD_PATH)
      ? { path: NOTO_CJK_BOLD_PATH, face: NOTO_CJK_BOLD_FACE }
      : regular;
  return { ok: true, fonts: { regular, bold } };
}
