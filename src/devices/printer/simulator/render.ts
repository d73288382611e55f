/**
 * Draws a simulated receipt for people to look at: the receipt model → SVG → PNG with resvg. Text is
 * laid on the printer's column grid (same code that rasterises four-byte lines), QR symbols are
 * re-drawn from their payload with `qrcode`, raster images are embedded as they were received.
 */
import type * as PngModule from 'pngjs';
import type * as QRCodeModule from 'qrcode';
import { lazyRequire } from '../../../shared/lazy-require.js';
import type { Align, RasterImage } from '../escpos/commands.js';
import { rasterBytesPerRow } from '../escpos/commands.js';
import { PAPER, type PaperWidth } from '../escpos/layout.js';
import { ensureGlyphs } from '../escpos/glyphs.js';
import {
  lineHeightDots,
  newResvg,
  svgDocument,
  textLineSvg,
  LINE_GAP_DOTS,
  type TextRun,
} from '../escpos/text-svg.js';
import type { ReceiptModel } from './receipt-model.js';

const pngjs = lazyRequire<typeof PngModule>('pngjs');
const qrcode = lazyRequire<typeof QRCodeModule>('qrcode');

const MARGIN = 16;
const BLANK_LINE = 30;

function alignedX(align: Align, width: number, paperDots: number): number {
  const free = Math.max(0, paperDots - width);
  return align === 'center' ? Math.floor(free / 2) : align === 'right' ? free : 0;
}

export function rasterToPng(image: RasterImage): Buffer {
  const { PNG } = pngjs();
  const png = new PNG({
    width: image.widthDots,
    height: image.heightDots,
    colorType: 0,
    inputColorType: 0,
    bitDepth: 8,
  });
  const bpr = rasterBytesPerRow(image.widthDots);
  const gray = Buffer.alloc(image.widthDots * image.heightDots);
  for (let y = 0; y < image.heightDots; y++) {
    for (let x = 0; x < image.widthDots; x++) {
      const black = ((image.data[y * bpr + (x >> 3)] ?? 0) & (0x80 >> (x & 7))) !== 0;
      gray[y * image.widthDots + x] = black ? 0 : 255;
    }
  }
  png.data = gray;
  return PNG.sync.write(png, { colorType: 0, inputColorType: 0, bitDepth: 8 });
}

function qrSvg(
  data: string,
  level: 'L' | 'M' | 'Q' | 'H',
  moduleSize: number,
  align: Align,
  paperDots: number,
  y0: number,
): { svg: string; size: number } {
  const qr = qrcode().create(data, { errorCorrectionLevel: level });
  const n = qr.modules.size;
  const x0 = alignedX(align, n * moduleSize, paperDots);
  let d = '';
  for (let y = 0; y < n; y++) {
    for (let x = 0; x < n; x++) {
      if (qr.modules.get(y, x))
        d += `M${x0 + x * moduleSize} ${y0 + y * moduleSize}h${moduleSize}v${moduleSize}h-${moduleSize}z`;
    }
  }
  return { svg: `<path d="${d}" fill="#000"/>`, size: n * moduleSize };
}

export function renderReceiptSvg(model: ReceiptModel, paperWidth: PaperWidth): string {
  const paper = PAPER[paperWidth];
  const parts: string[] = [];
  const cutLabel: TextRun[] = [
    { text: model.cut === 'full' ? 'full cut 全切' : 'partial cut 半切', bold: false, width: 1, height: 1 },
  ];
  // One glyph pass for every character on the receipt.
  ensureGlyphs(
    model.lines.map((l) => (l.kind === 'text' ? l.text : '')).join('') +
      cutLabel[0]!.text +
      '[QR payload not encodable]',
  );
  let y = MARGIN;
  for (const line of model.lines) {
    switch (line.kind) {
      case 'text': {
        const h = line.runs.length === 0 ? BLANK_LINE : lineHeightDots(line.runs);
        parts.push(textLineSvg(line.runs, line.align, paper, y + LINE_GAP_DOTS / 2));
        y += h;
        break;
      }
      case 'qr': {
        let size: number;
        try {
          const q = qrSvg(line.data, line.errorCorrection, line.moduleSize, line.align, paper.dots, y);
          parts.push(q.svg);
          size = q.size;
        } catch {
          parts.push(
            `<g fill="#c00">${textLineSvg([{ text: '[QR payload not encodable]', bold: false, width: 1, height: 1 }], 'left', paper, y)}</g>`,
          );
          size = BLANK_LINE;
        }
        y += size;
        break;
      }
      case 'raster': {
        const href = `data:image/png;base64,${rasterToPng(line.image).toString('base64')}`;
        const x = alignedX(line.align, line.image.widthDots, paper.dots);
        parts.push(
          `<image x="${x}" y="${y}" width="${line.image.widthDots}" height="${line.image.heightDots}" href="${href}" image-rendering="optimizeSpeed"/>`,
        );
        y += line.image.heightDots;
        break;
      }
      case 'feed':
        y += BLANK_LINE * line.lines;
        break;
      default: {
        const never: never = line;
        throw new Error(`unknown line ${JSON.stringify(never)}`);
      }
    }
  }
  y += MARGIN;
  if (model.cut !== null) {
    parts.push(
      `<line x1="${-MARGIN}" y1="${y}" x2="${paper.dots + MARGIN}" y2="${y}" stroke="#888" stroke-width="2" stroke-dasharray="8 6"/>` +
        `<g fill="#888" transform="translate(0 ${y - 26}) scale(1 0.6)">${textLineSvg(cutLabel, 'right', paper, 0)}</g>`,
    );
    y += 8;
  }
  const width = paper.dots + 2 * MARGIN;
  return svgDocument(width, y, `<g transform="translate(${MARGIN} 0)">${parts.join('')}</g>`);
}

export function renderReceiptPng(model: ReceiptModel, paperWidth: PaperWidth): Buffer {
  return newResvg(renderReceiptSvg(model, paperWidth)).render().asPng();
}
