/**
 * Streaming ESC/POS parser for the printer simulator: bytes in (in any chunking), commands out. It
 * knows the commands of docs/devices-printer.md plus the common ones other software sends (ESC !, ESC 2/3,
 * ESC -, ESC M, ESC J, GS a, GS r); anything else is reported as `unknown` so tests notice it.
 * Real-time commands (`DLE EOT n`, `DLE ENQ n`) are recognised only at command boundaries, which is why
 * a host must never send them inside another command or image data.
 */
import type { Align, CutKind, QrErrorCorrection, RasterImage } from '../escpos/commands.js';

export type ParsedCommand =
  | { kind: 'text'; bytes: Uint8Array; chineseMode: boolean }
  | { kind: 'lf' }
  | { kind: 'init' }
  | { kind: 'chinese-mode'; on: boolean }
  | { kind: 'size'; width: number; height: number }
  | { kind: 'print-mode'; bold: boolean; doubleWidth: boolean; doubleHeight: boolean }
  | { kind: 'chinese-size'; doubleWidth: boolean; doubleHeight: boolean }
  | { kind: 'bold'; on: boolean }
  | { kind: 'align'; align: Align }
  | { kind: 'feed'; lines: number }
  | { kind: 'cut'; cut: CutKind; feedLines: number | undefined }
  | { kind: 'qr-model'; model: number }
  | { kind: 'qr-module-size'; size: number }
  | { kind: 'qr-error-correction'; level: QrErrorCorrection }
  | { kind: 'qr-store'; data: Uint8Array }
  | { kind: 'qr-print' }
  | { kind: 'raster'; image: RasterImage; mode: number }
  | { kind: 'realtime-status'; n: number }
  | { kind: 'realtime-recover'; n: number }
  | { kind: 'asb'; n: number }
  | { kind: 'transmit-status'; n: number }
  | { kind: 'accepted'; name: string }
  | { kind: 'unknown'; bytes: Uint8Array };

/** 576 dots × 10 000 rows: far beyond any receipt. */
const MAX_RASTER_BYTES = 72 * 10_000 + 8;

type Step = { cmd: ParsedCommand; length: number } | 'incomplete';

const QR_LEVELS: Record<number, QrErrorCorrection> = { 48: 'L', 49: 'M', 50: 'Q', 51: 'H' };
const ALIGNS: Record<number, Align> = {
  0: 'left',
  1: 'center',
  2: 'right',
  48: 'left',
  49: 'center',
  50: 'right',
};

/** Bytes of fixed-length commands that are accepted without a visible effect in the model. */
const ACCEPTED_ESC: Record<number, { name: string; length: number }> = {
  0x2d: { name: 'ESC - (underline)', length: 3 },
  0x32: { name: 'ESC 2 (default line spacing)', length: 2 },
  0x33: { name: 'ESC 3 (line spacing)', length: 3 },
  0x4d: { name: 'ESC M (font)', length: 3 },
  0x4a: { name: 'ESC J (feed dots)', length: 3 },
  0x74: { name: 'ESC t (code page)', length: 3 },
  0x7b: { name: 'ESC { (upside down)', length: 3 },
  0x47: { name: 'ESC G (double strike)', length: 3 },
};

export class EscPosParser {
  private pending: Uint8Array = new Uint8Array(0);
  private chineseMode = true;

  /** Parses as much as possible; an incomplete command waits for the next chunk. */
  push(chunk: Uint8Array): ParsedCommand[] {
    const buf = this.pending.length === 0 ? chunk : concat(this.pending, chunk);
    const out: ParsedCommand[] = [];
    let at = 0;
    while (at < buf.length) {
      const step = this.step(buf, at);
      if (step === 'incomplete') break;
      if (step.cmd.kind === 'chinese-mode') this.chineseMode = step.cmd.on;
      if (step.cmd.kind === 'init') this.chineseMode = true; // Chinese models start (and reset) in Chinese mode
      out.push(step.cmd);
      at += step.length;
    }
    this.pending = buf.slice(at);
    return out;
  }

  /** Bytes of an unfinished command held back (e.g. a raster image still arriving). */
  pendingBytes(): number {
    return this.pending.length;
  }

  reset(): void {
    this.pending = new Uint8Array(0);
    this.chineseMode = true;
  }

  private step(b: Uint8Array, at: number): Step {
    const first = b[at]!;
    const need = (n: number): boolean => at + n <= b.length;
    const byte = (i: number): number => b[at + i]!;
    if (first >= 0x20) return this.textRun(b, at);
    switch (first) {
      case 0x0a:
        return { cmd: { kind: 'lf' }, length: 1 };
      case 0x0d:
        return { cmd: { kind: 'accepted', name: 'CR' }, length: 1 };
      case 0x10: {
        if (!need(3)) return 'incomplete';
        if (byte(1) === 0x04) return { cmd: { kind: 'realtime-status', n: byte(2) }, length: 3 };
        if (byte(1) === 0x05) return { cmd: { kind: 'realtime-recover', n: byte(2) }, length: 3 };
        return { cmd: { kind: 'unknown', bytes: b.slice(at, at + 1) }, length: 1 };
      }
      case 0x1b: {
        if (!need(2)) return 'incomplete';
        const c = byte(1);
        if (c === 0x40) return { cmd: { kind: 'init' }, length: 2 };
        if (c === 0x45 || c === 0x61 || c === 0x64 || c === 0x21) {
          if (!need(3)) return 'incomplete';
          const n = byte(2);
          if (c === 0x45) return { cmd: { kind: 'bold', on: (n & 1) === 1 }, length: 3 };
          if (c === 0x64) return { cmd: { kind: 'feed', lines: n }, length: 3 };
          if (c === 0x21)
            return {
              cmd: {
                kind: 'print-mode',
                bold: (n & 0x08) !== 0,
                doubleHeight: (n & 0x10) !== 0,
                doubleWidth: (n & 0x20) !== 0,
              },
              length: 3,
            };
          const a = ALIGNS[n];
          return a === undefined
            ? { cmd: { kind: 'unknown', bytes: b.slice(at, at + 3) }, length: 3 }
            : { cmd: { kind: 'align', align: a }, length: 3 };
        }
        const accepted = ACCEPTED_ESC[c];
        if (accepted !== undefined) {
          if (!need(accepted.length)) return 'incomplete';
          return { cmd: { kind: 'accepted', name: accepted.name }, length: accepted.length };
        }
        return { cmd: { kind: 'unknown', bytes: b.slice(at, at + 2) }, length: 2 };
      }
      case 0x1c: {
        if (!need(2)) return 'incomplete';
        const c = byte(1);
        if (c === 0x26) return { cmd: { kind: 'chinese-mode', on: true }, length: 2 };
        if (c === 0x2e) return { cmd: { kind: 'chinese-mode', on: false }, length: 2 };
        if (c === 0x21) {
          if (!need(3)) return 'incomplete';
          return {
            cmd: {
              kind: 'chinese-size',
              doubleWidth: (byte(2) & 0x04) !== 0,
              doubleHeight: (byte(2) & 0x08) !== 0,
            },
            length: 3,
          };
        }
        return { cmd: { kind: 'unknown', bytes: b.slice(at, at + 2) }, length: 2 };
      }
      case 0x1d:
        return this.gsCommand(b, at);
      default:
        return { cmd: { kind: 'unknown', bytes: b.slice(at, at + 1) }, length: 1 };
    }
  }

  private gsCommand(b: Uint8Array, at: number): Step {
    const need = (n: number): boolean => at + n <= b.length;
    const byte = (i: number): number => b[at + i]!;
    if (!need(2)) return 'incomplete';
    const c = byte(1);
    switch (c) {
      case 0x21: {
        if (!need(3)) return 'incomplete';
        const n = byte(2);
        return { cmd: { kind: 'size', width: ((n >> 4) & 0x0f) + 1, height: (n & 0x0f) + 1 }, length: 3 };
      }
      case 0x56: {
        if (!need(3)) return 'incomplete';
        const m = byte(2);
        if (m === 0 || m === 48)
          return { cmd: { kind: 'cut', cut: 'full', feedLines: undefined }, length: 3 };
        if (m === 1 || m === 49)
          return { cmd: { kind: 'cut', cut: 'partial', feedLines: undefined }, length: 3 };
        if (m === 65 || m === 66) {
          if (!need(4)) return 'incomplete';
          return { cmd: { kind: 'cut', cut: m === 65 ? 'full' : 'partial', feedLines: byte(3) }, length: 4 };
        }
        return { cmd: { kind: 'unknown', bytes: b.slice(at, at + 3) }, length: 3 };
      }
      case 0x61:
        if (!need(3)) return 'incomplete';
        return { cmd: { kind: 'asb', n: byte(2) }, length: 3 };
      case 0x72:
        if (!need(3)) return 'incomplete';
        return { cmd: { kind: 'transmit-status', n: byte(2) }, length: 3 };
      case 0x28: {
        // GS ( k pL pH cn fn [parameters]: length = pL + pH·256 bytes after pH.
        if (!need(5)) return 'incomplete';
        const len = byte(3) + byte(4) * 256;
        if (!need(5 + len)) return 'incomplete';
        const total = 5 + len;
        if (byte(2) !== 0x6b || len < 2 || byte(5) !== 0x31)
          return { cmd: { kind: 'accepted', name: `GS ( ${byte(2).toString(16)}` }, length: total };
        const fn = byte(6);
        if (fn === 0x41 && len >= 3) return { cmd: { kind: 'qr-model', model: byte(7) - 48 }, length: total };
        if (fn === 0x43 && len >= 3) return { cmd: { kind: 'qr-module-size', size: byte(7) }, length: total };
        if (fn === 0x45 && len >= 3) {
          const level = QR_LEVELS[byte(7)];
          return level === undefined
            ? { cmd: { kind: 'unknown', bytes: b.slice(at, at + total) }, length: total }
            : { cmd: { kind: 'qr-error-correction', level }, length: total };
        }
        if (fn === 0x50 && len >= 3)
          return { cmd: { kind: 'qr-store', data: b.slice(at + 8, at + total) }, length: total };
        if (fn === 0x51) return { cmd: { kind: 'qr-print' }, length: total };
        return { cmd: { kind: 'accepted', name: `GS ( k QR function ${fn.toString(16)}` }, length: total };
      }
      case 0x76: {
        // GS v 0 m xL xH yL yH d1…dk, k = x·y
        if (!need(8)) return 'incomplete';
        if (byte(2) !== 0x30) return { cmd: { kind: 'unknown', bytes: b.slice(at, at + 3) }, length: 3 };
        const x = byte(4) + byte(5) * 256;
        const y = byte(6) + byte(7) * 256;
        const total = 8 + x * y;
        // No printer takes a single image this large; treat it as garbage rather than wait for it.
        if (total > MAX_RASTER_BYTES)
          return { cmd: { kind: 'unknown', bytes: b.slice(at, at + 8) }, length: 8 };
        if (!need(total)) return 'incomplete';
        return {
          cmd: {
            kind: 'raster',
            mode: byte(3),
            image: { widthDots: x * 8, heightDots: y, data: b.slice(at + 8, at + total) },
          },
          length: total,
        };
      }
      default:
        return { cmd: { kind: 'unknown', bytes: b.slice(at, at + 2) }, length: 2 };
    }
  }

  /** A run of printable bytes, never splitting a multi-byte GB18030 character across chunks. */
  private textRun(b: Uint8Array, start: number): Step {
    let i = start;
    while (i < b.length) {
      const c = b[i]!;
      if (c < 0x20) break;
      if (c < 0x80 || !this.chineseMode) {
        i += 1;
        continue;
      }
      if (i + 1 >= b.length) break; // lead byte at the end of the chunk: wait for the rest
      const c2 = b[i + 1]!;
      if (c2 >= 0x30 && c2 <= 0x39) {
        if (i + 4 > b.length) break;
        i += 4;
      } else if (c2 < 0x20) {
        i += 1; // a lone lead byte followed by a control code: print it as garbage, as a printer would
      } else i += 2;
    }
    if (i === start) return 'incomplete';
    return {
      cmd: { kind: 'text', bytes: b.slice(start, i), chineseMode: this.chineseMode },
      length: i - start,
    };
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}
