/**
 * The print document model and its ESC/POS encoding. Templates build a `PrintDocument` (pure data);
 * `layoutDocument` turns it into printed lines for a paper width; `encodeDocument` turns those into
 * the bytes of docs/devices-printer.md ("Commands the kiosk uses").
 */
import type * as QRCodeModule from 'qrcode';
import { lazyRequire } from '../../../shared/lazy-require.js';
import {
  align as alignCmd,
  bold as boldCmd,
  characterSize,
  chineseMode,
  concatBytes,
  cut as cutCmd,
  feedLines,
  initialize,
  LF,
  QR_MAX_BYTES,
  qrCode,
  rasterBytesPerRow,
  rasterImage,
  type Align,
  type CharSize,
  type CutKind,
  type QrErrorCorrection,
  type RasterImage,
} from './commands.js';
import { encodeGb18030, hasFourByteChar, normalizeForPrinter } from './gb18030.js';
import { columnsAt, pairLines, PAPER, wrapText, type PaperGeometry, type PaperWidth } from './layout.js';
import { rasterizeTextLines } from './raster-text.js';

const qrcode = lazyRequire<typeof QRCodeModule>('qrcode');

export type Block =
  /** A paragraph, wrapped to the paper width at its size. `\n` forces a break. */
  | { kind: 'text'; text: string; align?: Align; bold?: boolean; size?: CharSize }
  /** Two columns: label left, value right (wrapping as in `pairLines`; a long label's continuation
   * lines are indented by `labelIndent` columns). */
  | { kind: 'pair'; label: string; value: string; bold?: boolean; labelIndent?: number }
  /** A full-width line of one character. */
  | { kind: 'rule'; char?: '-' | '=' | '*' | '.' }
  /** A native QR code (`GS ( k`, model 2). The payload is sent as UTF-8. */
  | { kind: 'qr'; data: string; moduleSize?: number; errorCorrection?: QrErrorCorrection; align?: Align }
  /** A 1-bit image printed with `GS v 0`. */
  | { kind: 'image'; image: RasterImage; align?: Align }
  | { kind: 'feed'; lines: number }
  | { kind: 'cut'; cut: CutKind; feedLines?: number };

export type PrintDocument = { blocks: readonly Block[] };

const NORMAL: CharSize = { width: 1, height: 1 };

/** One printed line (or symbol) after layout. `raster` text lines contain four-byte characters. */
export type LaidOutLine =
  | { kind: 'text'; text: string; align: Align; bold: boolean; size: CharSize; raster: boolean }
  | { kind: 'qr'; data: Uint8Array; moduleSize: number; errorCorrection: QrErrorCorrection; align: Align }
  | { kind: 'image'; image: RasterImage; align: Align }
  | { kind: 'feed'; lines: number }
  | { kind: 'cut'; cut: CutKind; feedLines: number | undefined };

/** Quiet zone QR readers need: four modules on each side. */
const QR_QUIET_MODULES = 4;

/** Largest module size (≤ the requested one) whose symbol plus quiet zone fits the paper. */
function fittingModuleSize(
  data: string,
  errorCorrection: QrErrorCorrection,
  requested: number,
  paper: PaperGeometry,
): number {
  const modules = qrcode().create(data, { errorCorrectionLevel: errorCorrection }).modules.size;
  const fit = Math.floor(paper.dots / (modules + 2 * QR_QUIET_MODULES));
  return Math.max(1, Math.min(requested, fit, 16));
}

function textLines(
  text: string,
  alignment: Align,
  isBold: boolean,
  size: CharSize,
  paper: PaperGeometry,
): LaidOutLine[] {
  const clean = text
    .split(/\r\n|\r|\n/)
    .map(normalizeForPrinter)
    .join('\n');
  return wrapText(clean, columnsAt(paper, size.width)).map((line) => ({
    kind: 'text',
    text: line,
    align: alignment,
    bold: isBold,
    size,
    raster: hasFourByteChar(line),
  }));
}

export function layoutDocument(doc: PrintDocument, paperWidth: PaperWidth): LaidOutLine[] {
  const paper = PAPER[paperWidth];
  const out: LaidOutLine[] = [];
  for (const block of doc.blocks) {
    switch (block.kind) {
      case 'text':
        out.push(
          ...textLines(block.text, block.align ?? 'left', block.bold ?? false, block.size ?? NORMAL, paper),
        );
        break;
      case 'pair': {
        const label = normalizeForPrinter(block.label);
        const value = normalizeForPrinter(block.value);
        for (const line of pairLines(label, value, paper.columns, block.labelIndent ?? 0)) {
          out.push({
            kind: 'text',
            text: line,
            align: 'left',
            bold: block.bold ?? false,
            size: NORMAL,
            raster: hasFourByteChar(line),
          });
        }
        break;
      }
      case 'rule':
        out.push({
          kind: 'text',
          text: (block.char ?? '-').repeat(paper.columns),
          align: 'left',
          bold: false,
          size: NORMAL,
          raster: false,
        });
        break;
      case 'qr': {
        const data = new TextEncoder().encode(block.data);
        if (data.length < 1 || data.length > QR_MAX_BYTES) {
          throw new RangeError(`QR payload must be 1..${QR_MAX_BYTES} bytes, got ${data.length}`);
        }
        const ecc = block.errorCorrection ?? 'M';
        out.push({
          kind: 'qr',
          data,
          errorCorrection: ecc,
          moduleSize: fittingModuleSize(block.data, ecc, block.moduleSize ?? 6, paper),
          align: block.align ?? 'center',
        });
        break;
      }
      case 'image':
        if (block.image.widthDots > paper.dots)
          throw new RangeError(`image is ${block.image.widthDots} dots wide; paper has ${paper.dots}`);
        out.push({ kind: 'image', image: block.image, align: block.align ?? 'center' });
        break;
      case 'feed':
        out.push({ kind: 'feed', lines: block.lines });
        break;
      case 'cut':
        out.push({ kind: 'cut', cut: block.cut, feedLines: block.feedLines });
        break;
      default: {
        const never: never = block;
        throw new Error(`unknown block ${JSON.stringify(never)}`);
      }
    }
  }
  return out;
}

/** `GS v 0` bands of at most this many rows, so printers with small receive buffers keep up. */
const RASTER_BAND_ROWS = 256;

function rasterBands(image: RasterImage): Uint8Array[] {
  const bytesPerRow = rasterBytesPerRow(image.widthDots);
  const bands: Uint8Array[] = [];
  for (let y = 0; y < image.heightDots; y += RASTER_BAND_ROWS) {
    const rows = Math.min(RASTER_BAND_ROWS, image.heightDots - y);
    bands.push(
      rasterImage({
        widthDots: image.widthDots,
        heightDots: rows,
        data: image.data.subarray(y * bytesPerRow, (y + rows) * bytesPerRow),
      }),
    );
  }
  return bands;
}

const sameSize = (a: CharSize, b: CharSize): boolean => a.width === b.width && a.height === b.height;

/**
 * ESC/POS bytes for a document: `ESC @`, `FS &` (Chinese mode), then each line with only the mode
 * changes it needs (alignment is set at the start of a line, as the printer requires).
 */
export function encodeDocument(doc: PrintDocument, options: { paperWidth: PaperWidth }): Uint8Array {
  const paper = PAPER[options.paperWidth];
  const lines = layoutDocument(doc, options.paperWidth);
  const rasterSources = lines.flatMap((l) =>
    l.kind === 'text' && l.raster
      ? [
          {
            runs: [{ text: l.text, bold: l.bold, width: l.size.width, height: l.size.height }],
            align: l.align,
          },
        ]
      : [],
  );
  const rasters = rasterizeTextLines(rasterSources, paper);
  let nextRaster = 0;

  const parts: Uint8Array[] = [initialize(), chineseMode(true)];
  // State after ESC @: left aligned, not bold, normal size.
  let curAlign: Align = 'left';
  let curBold = false;
  let curSize: CharSize = NORMAL;
  const setAlign = (a: Align): void => {
    if (a !== curAlign) parts.push(alignCmd(a));
    curAlign = a;
  };
  for (const line of lines) {
    switch (line.kind) {
      case 'text': {
        if (line.raster) {
          const image = rasters[nextRaster++];
          if (image === undefined) throw new Error('raster text line missing');
          setAlign('left'); // the image is already full width with the text placed on it
          parts.push(...rasterBands(image));
          break;
        }
        setAlign(line.align);
        if (!sameSize(line.size, curSize)) parts.push(characterSize(line.size));
        curSize = line.size;
        if (line.bold !== curBold) parts.push(boldCmd(line.bold));
        curBold = line.bold;
        parts.push(encodeGb18030(line.text), Uint8Array.of(LF));
        break;
      }
      case 'qr':
        setAlign(line.align);
        parts.push(qrCode(line.data, line.moduleSize, line.errorCorrection));
        break;
      case 'image':
        setAlign(line.align);
        parts.push(...rasterBands(line.image));
        break;
      case 'feed':
        parts.push(feedLines(line.lines));
        break;
      case 'cut':
        parts.push(cutCmd(line.cut, line.feedLines));
        break;
      default: {
        const never: never = line;
        throw new Error(`unknown line ${JSON.stringify(never)}`);
      }
    }
  }
  return concatBytes(parts);
}
