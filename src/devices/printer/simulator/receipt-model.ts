/**
 * What the simulated printer put on paper, built from parsed commands the way a printer applies them:
 * text in lines (GB18030, with the size/bold in force for each run and the alignment set at the start
 * of the line), QR symbols from their stored payload, raster images, feeds, and a cut that ends a
 * receipt. Four-byte GB18030 characters are shown as U+FFFD and warned about, because a real printer
 * font cannot print them (docs/devices-printer.md, "Chinese text").
 */
import type * as IconvLite from 'iconv-lite';
import { lazyRequire } from '../../../shared/lazy-require.js';
import type { Align, CutKind, QrErrorCorrection, RasterImage } from '../escpos/commands.js';
import { DOTS_PER_COLUMN, type PaperGeometry } from '../escpos/layout.js';
import { runsWidthDots, type TextRun } from '../escpos/text-svg.js';
import type { ParsedCommand } from './parser.js';

const iconv = lazyRequire<typeof IconvLite>('iconv-lite');

export type ReceiptLine =
  | { kind: 'text'; align: Align; runs: TextRun[]; text: string }
  | { kind: 'qr'; align: Align; data: string; moduleSize: number; errorCorrection: QrErrorCorrection }
  | { kind: 'raster'; align: Align; image: RasterImage }
  | { kind: 'feed'; lines: number };

export type ReceiptModel = { lines: ReceiptLine[]; cut: CutKind | null; warnings: string[] };

/** Text of a receipt, one printed line per line (QR shown as `[QR:payload]`, images as `[raster WxH]`). */
export function receiptText(model: ReceiptModel): string {
  return model.lines
    .map((l) => {
      switch (l.kind) {
        case 'text':
          return l.text;
        case 'qr':
          return `[QR:${l.data}]`;
        case 'raster':
          return `[raster ${l.image.widthDots}x${l.image.heightDots}]`;
        case 'feed':
          return '\n'.repeat(Math.max(0, l.lines - 1));
        default: {
          const never: never = l;
          return String(never);
        }
      }
    })
    .join('\n');
}

const MAX_WARNINGS = 50;

function decodeText(bytes: Uint8Array, chineseMode: boolean, warn: (w: string) => void): string {
  let out = '';
  let i = 0;
  while (i < bytes.length) {
    const c = bytes[i]!;
    if (c < 0x80) {
      out += String.fromCharCode(c);
      i += 1;
    } else if (!chineseMode) {
      warn(`byte ${c.toString(16)} outside Chinese mode prints from the single-byte code page`);
      out += '?';
      i += 1;
    } else if (i + 1 < bytes.length && bytes[i + 1]! >= 0x30 && bytes[i + 1]! <= 0x39) {
      const seq = bytes.subarray(i, i + 4);
      const ch = iconv().decode(Buffer.from(seq), 'gb18030');
      const hex = Array.from(seq, (x) => x.toString(16).padStart(2, '0')).join(' ');
      warn(
        `four-byte GB18030 sequence ${hex} (U+${(ch.codePointAt(0) ?? 0).toString(16).toUpperCase()}) cannot be printed by the printer font`,
      );
      out += '\ufffd';
      i += 4;
    } else if (i + 1 < bytes.length) {
      out += iconv().decode(Buffer.from(bytes.subarray(i, i + 2)), 'gb18030');
      i += 2;
    } else {
      warn(`lone GB18030 lead byte ${c.toString(16)}`);
      out += '\ufffd';
      i += 1;
    }
  }
  return out;
}

/** Applies parsed (non-real-time) commands to the paper. */
export class ReceiptBuilder {
  private lines: ReceiptLine[] = [];
  private warnings: string[] = [];
  private runs: TextRun[] = [];
  private lineAlign: Align = 'left';
  private align: Align = 'left';
  private bold = false;
  private width = 1;
  private height = 1;
  private qr: { data: Uint8Array | null; moduleSize: number; level: QrErrorCorrection } = {
    data: null,
    moduleSize: 3,
    level: 'L',
  };

  constructor(private readonly paper: PaperGeometry) {}

  private warn(w: string): void {
    if (this.warnings.length < MAX_WARNINGS) this.warnings.push(w);
  }

  private lineStarted(): boolean {
    return this.runs.length > 0;
  }

  private endLine(forceBlank: boolean): void {
    if (!this.lineStarted() && !forceBlank) return;
    const text = this.runs.map((r) => r.text).join('');
    if (runsWidthDots(this.runs) > this.paper.dots) {
      this.warn(
        `line wider than the paper (${Math.ceil(runsWidthDots(this.runs) / DOTS_PER_COLUMN)} columns): a printer would wrap it`,
      );
    }
    this.lines.push({ kind: 'text', align: this.lineAlign, runs: this.runs, text });
    this.runs = [];
  }

  hasContent(): boolean {
    return this.lines.length > 0 || this.lineStarted();
  }

  /** Returns a finished receipt when the command is a cut. */
  apply(cmd: ParsedCommand): ReceiptModel | null {
    switch (cmd.kind) {
      case 'text': {
        if (!this.lineStarted()) this.lineAlign = this.align;
        const text = decodeText(cmd.bytes, cmd.chineseMode, (w) => this.warn(w));
        const last = this.runs[this.runs.length - 1];
        if (
          last !== undefined &&
          last.bold === this.bold &&
          last.width === this.width &&
          last.height === this.height
        )
          last.text += text;
        else this.runs.push({ text, bold: this.bold, width: this.width, height: this.height });
        return null;
      }
      case 'lf':
        this.endLine(true);
        return null;
      case 'init':
        this.runs = [];
        this.align = 'left';
        this.bold = false;
        this.width = 1;
        this.height = 1;
        this.qr = { data: null, moduleSize: 3, level: 'L' };
        return null;
      case 'size':
        this.width = cmd.width;
        this.height = cmd.height;
        return null;
      case 'print-mode':
        this.bold = cmd.bold;
        this.width = cmd.doubleWidth ? 2 : 1;
        this.height = cmd.doubleHeight ? 2 : 1;
        return null;
      case 'chinese-size':
        this.width = cmd.doubleWidth ? 2 : 1;
        this.height = cmd.doubleHeight ? 2 : 1;
        return null;
      case 'bold':
        this.bold = cmd.on;
        return null;
      case 'align':
        // Effective only at the start of a line (docs/devices-printer.md, "Commands the kiosk uses").
        if (this.lineStarted())
          this.warn(`ESC a ${cmd.align} in the middle of a line is ignored by the printer`);
        else this.align = cmd.align;
        return null;
      case 'feed':
        this.endLine(false);
        if (cmd.lines > 0) this.lines.push({ kind: 'feed', lines: cmd.lines });
        return null;
      case 'qr-model':
        if (cmd.model !== 2) this.warn(`QR model ${cmd.model} requested; model 2 expected`);
        return null;
      case 'qr-module-size':
        if (cmd.size < 1 || cmd.size > 16) this.warn(`QR module size ${cmd.size} out of range 1..16`);
        this.qr.moduleSize = Math.min(16, Math.max(1, cmd.size));
        return null;
      case 'qr-error-correction':
        this.qr.level = cmd.level;
        return null;
      case 'qr-store':
        this.qr.data = cmd.data;
        return null;
      case 'qr-print': {
        this.endLine(false);
        if (this.qr.data === null || this.qr.data.length === 0) {
          this.warn('QR print without stored data');
          return null;
        }
        const data = new TextDecoder('utf-8', { fatal: false }).decode(this.qr.data);
        this.lines.push({
          kind: 'qr',
          align: this.align,
          data,
          moduleSize: this.qr.moduleSize,
          errorCorrection: this.qr.level,
        });
        return null;
      }
      case 'raster':
        this.endLine(false);
        if (cmd.image.widthDots > this.paper.dots)
          this.warn(`raster image ${cmd.image.widthDots} dots wide on ${this.paper.dots}-dot paper`);
        this.lines.push({ kind: 'raster', align: this.align, image: cmd.image });
        return null;
      case 'cut': {
        this.endLine(false);
        if (cmd.feedLines !== undefined && cmd.feedLines > 0)
          this.lines.push({ kind: 'feed', lines: cmd.feedLines });
        const done: ReceiptModel = { lines: this.lines, cut: cmd.cut, warnings: this.warnings };
        this.lines = [];
        this.warnings = [];
        return done;
      }
      case 'unknown':
        this.warn(
          `unknown command bytes ${Array.from(cmd.bytes.subarray(0, 8), (x) => x.toString(16).padStart(2, '0')).join(' ')}`,
        );
        return null;
      case 'chinese-mode':
      case 'asb':
      case 'transmit-status':
      case 'realtime-status':
      case 'realtime-recover':
      case 'accepted':
        return null;
      default: {
        const never: never = cmd;
        throw new Error(`unhandled command ${JSON.stringify(never)}`);
      }
    }
  }

  /** What is on the paper since the last cut (not yet torn off). */
  snapshot(): ReceiptModel {
    const lines = [...this.lines];
    if (this.lineStarted())
      lines.push({
        kind: 'text',
        align: this.lineAlign,
        runs: [...this.runs],
        text: this.runs.map((r) => r.text).join(''),
      });
    return { lines, cut: null, warnings: [...this.warnings] };
  }

  /** Power cycle: the unprinted buffer and modes are lost. */
  reset(): void {
    this.lines = [];
    this.warnings = [];
    this.apply({ kind: 'init' });
  }
}
