/**
 * Text lines the printer font cannot print (four-byte GB18030 characters, docs/devices-printer.md,
 * "Chinese text") become full-width 1-bit raster images for `GS v 0`: drawn with @resvg/resvg-js in Noto Sans
 * CJK SC on the printer's column grid, then thresholded. All such lines of a document are drawn in one SVG
 * so the font set is loaded once per document.
 */
import type { Align, RasterImage } from './commands.js';
import { rasterBytesPerRow } from './commands.js';
import { ensureGlyphs } from './glyphs.js';
import type { PaperGeometry } from './layout.js';
import { lineHeightDots, newResvg, svgDocument, textLineSvg, type TextRun } from './text-svg.js';

export type RasterTextLine = { runs: readonly TextRun[]; align: Align };

/** Dots darker than this (0..255 luminance) print black. */
const THRESHOLD = 128;

export function rasterizeTextLines(lines: readonly RasterTextLine[], paper: PaperGeometry): RasterImage[] {
  if (lines.length === 0) return [];
  ensureGlyphs(lines.flatMap((l) => l.runs.map((r) => r.text)).join(''));
  const heights = lines.map((l) => lineHeightDots(l.runs));
  let top = 0;
  const body = lines
    .map((l, i) => {
      const svg = textLineSvg(l.runs, l.align, paper, top);
      top += heights[i]!;
      return svg;
    })
    .join('');
  const rendered = newResvg(svgDocument(paper.dots, top, body)).render();
  const pixels = rendered.pixels;
  const width = rendered.width;
  const bytesPerRow = rasterBytesPerRow(paper.dots);
  const images: RasterImage[] = [];
  let row0 = 0;
  for (const h of heights) {
    const data = new Uint8Array(bytesPerRow * h);
    for (let y = 0; y < h; y++) {
      const src = (row0 + y) * width * 4;
      for (let x = 0; x < paper.dots; x++) {
        const p = src + x * 4;
        // Luminance of the RGBA pixel (opaque: the SVG paints a white background).
        const lum = (pixels[p]! * 299 + pixels[p + 1]! * 587 + pixels[p + 2]! * 114) / 1000;
        if (lum < THRESHOLD) {
          const k = y * bytesPerRow + (x >> 3);
          data[k] = (data[k] ?? 0) | (0x80 >> (x & 7));
        }
      }
    }
    images.push({ widthDots: paper.dots, heightDots: h, data });
    row0 += h;
  }
  return images;
}
