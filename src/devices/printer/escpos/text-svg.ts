/**
 * Draws a printed text line as SVG the way the printer lays it out: a fixed grid of 12-dot columns,
 * CJK characters two columns wide, `GS ! n` magnification. Used to turn lines with four-byte GB18030
 * characters into raster images (docs/devices-printer.md, "Chinese text") and by the simulator's preview.
 */
import type * as ResvgModule from '@resvg/resvg-js';
import type { Align } from './commands.js';
import { charColumns } from './gb18030.js';
import { ensureGlyphs, FONT_FAMILY, glyphFor } from './glyphs.js';
import { DOTS_PER_COLUMN, GLYPH_DOTS, type PaperGeometry } from './layout.js';
import { lazyRequire } from '../../../shared/lazy-require.js';

const resvg = lazyRequire<typeof ResvgModule>('@resvg/resvg-js');

export { FONT_FAMILY };
/** Default ESC/POS line spacing is about 1/6 inch; 30 dots = the 24-dot glyph band plus 6 dots. */
export const LINE_GAP_DOTS = 6;

export type TextRun = { text: string; bold: boolean; width: number; height: number };

export function lineHeightDots(runs: readonly TextRun[]): number {
  let h = 1;
  for (const r of runs) if (r.text !== '' && r.height > h) h = r.height;
  return GLYPH_DOTS * h + LINE_GAP_DOTS;
}

export function runsWidthDots(runs: readonly TextRun[]): number {
  let dots = 0;
  for (const r of runs) for (const ch of r.text) dots += charColumns(ch) * DOTS_PER_COLUMN * r.width;
  return dots;
}

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * SVG paths for one line whose glyph band starts at `top`: each character centred in its cell of the
 * column grid, magnified `width`×`height`, bold drawn with a stroke (the printer emboldens the same way).
 */
export function textLineSvg(
  runs: readonly TextRun[],
  lineAlign: Align,
  paper: PaperGeometry,
  top: number,
): string {
  ensureGlyphs(runs.map((r) => r.text).join(''));
  const total = runsWidthDots(runs);
  const free = Math.max(0, paper.dots - total);
  let x = lineAlign === 'center' ? Math.floor(free / 2) : lineAlign === 'right' ? free : 0;
  const band = lineHeightDots(runs) - LINE_GAP_DOTS;
  const parts: string[] = [];
  for (const r of runs) {
    // Glyphs of all sizes share the line's baseline (the printer aligns magnified characters at the bottom).
    const baseline = top + band - Math.round(GLYPH_DOTS * r.height * 0.12);
    const stroke = r.bold
      ? ` stroke="#000" stroke-width="${(0.9 / Math.min(r.width, r.height)).toFixed(2)}"`
      : '';
    for (const ch of r.text) {
      const cell = charColumns(ch) * DOTS_PER_COLUMN * r.width;
      const g = ch === ' ' ? undefined : glyphFor(ch);
      if (g !== undefined && g.d !== '') {
        // The printer font is monospaced: a proportional glyph wider than its cell (M, W) is narrowed.
        const fit = g.advance > 0 ? Math.min(1, cell / r.width / g.advance) : 1;
        const sx = r.width * fit;
        const gx = x + (cell - g.advance * sx) / 2;
        const transform = `translate(${round(gx)} ${baseline}) scale(${round(sx)} ${r.height}) translate(${round(-g.originX)} ${round(-g.originY)})`;
        parts.push(`<path transform="${transform}" d="${g.d}"${stroke}/>`);
      }
      x += cell;
    }
  }
  return parts.join('');
}

const round = (n: number): number => Math.round(n * 1000) / 1000;

export function svgDocument(width: number, height: number, body: string, background = '#fff'): string {
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">` +
    `<rect width="${width}" height="${height}" fill="${background}"/>` +
    `<g font-family="${FONT_FAMILY}" fill="#000">${body}</g></svg>`
  );
}

/** Renders an SVG made of paths only (text was turned into glyph paths), so no font set is loaded. */
export function newResvg(svg: string): ResvgModule.Resvg {
  return new (resvg().Resvg)(svg, { font: { loadSystemFonts: false }, fitTo: { mode: 'original' } });
}
