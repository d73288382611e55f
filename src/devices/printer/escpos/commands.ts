/**
 * ESC/POS command bytes, one function per command in the table "Commands the kiosk uses" of
 * docs/devices-printer.md. Pure functions; arguments out of the documented range are programming
 * errors and throw RangeError (docs/architecture.md, "Results": throw only for bugs).
 */

export type Align = 'left' | 'center' | 'right';
export type QrErrorCorrection = 'L' | 'M' | 'Q' | 'H';
export type CutKind = 'full' | 'partial';
/** Character magnification, 1..8 in each direction (`GS ! n`). */
export type CharSize = { width: number; height: number };

export const ESC = 0x1b;
export const GS = 0x1d;
export const FS = 0x1c;
export const DLE = 0x10;
export const EOT = 0x04;
export const ENQ = 0x05;
export const LF = 0x0a;

function byteInRange(name: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`${name} must be an integer in ${min}..${max}, got ${value}`);
  }
  return value;
}

/** `1B 40` initialize: clears the buffer and modes. */
export function initialize(): Uint8Array {
  return Uint8Array.of(ESC, 0x40);
}

/** `1C 26` Chinese mode on / `1C 2E` off (printer fonts cover only the two-byte GB18030 range). */
export function chineseMode(on: boolean): Uint8Array {
  return on ? Uint8Array.of(FS, 0x26) : Uint8Array.of(FS, 0x2e);
}

/** `1D 21 n`: bits 0–3 height−1, bits 4–7 width−1 (`11` = double both). */
export function characterSize(size: CharSize): Uint8Array {
  const w = byteInRange('character width', size.width, 1, 8);
  const h = byteInRange('character height', size.height, 1, 8);
  return Uint8Array.of(GS, 0x21, ((w - 1) << 4) | (h - 1));
}

/** `1B 45 n` emphasized (bold) on/off. */
export function bold(on: boolean): Uint8Array {
  return Uint8Array.of(ESC, 0x45, on ? 1 : 0);
}

const ALIGN_CODE: Record<Align, number> = { left: 0, center: 1, right: 2 };

/** `1B 61 n`: 0 left, 1 centre, 2 right; effective only at the start of a line. */
export function align(a: Align): Uint8Array {
  return Uint8Array.of(ESC, 0x61, ALIGN_CODE[a]);
}

/** `1B 64 n`: print the buffer and feed n lines. */
export function feedLines(n: number): Uint8Array {
  return Uint8Array.of(ESC, 0x64, byteInRange('feed lines', n, 0, 255));
}

/**
 * `1D 56 m` / `1D 56 m n`: m = 0 full, 1 partial; m = 65 (full) / 66 (partial) feed n lines then cut.
 * Many models only cut partially, so the templates use partial cuts.
 */
export function cut(kind: CutKind, feedBeforeCut?: number): Uint8Array {
  if (feedBeforeCut === undefined) return Uint8Array.of(GS, 0x56, kind === 'full' ? 0 : 1);
  return Uint8Array.of(
    GS,
    0x56,
    kind === 'full' ? 65 : 66,
    byteInRange('feed before cut', feedBeforeCut, 0, 255),
  );
}

const QR_ECC_CODE: Record<QrErrorCorrection, number> = { L: 48, M: 49, Q: 50, H: 51 };

/** Largest payload `GS ( k` function 180 accepts: pL + pH·256 = k + 3 ≤ 65535, and QR itself holds 7089. */
export const QR_MAX_BYTES = 7089;

/**
 * Native QR, model 2: `1D 28 6B 04 00 31 41 32 00` (model), `… 03 00 31 43 n` (module size 1..16),
 * `… 03 00 31 45 n` (error correction 48..51), `1D 28 6B pL pH 31 50 30 d…` (store, pL + pH·256 = k + 3),
 * `1D 28 6B 03 00 31 51 30` (print).
 */
export function qrCode(data: Uint8Array, moduleSize: number, errorCorrection: QrErrorCorrection): Uint8Array {
  if (data.length < 1 || data.length > QR_MAX_BYTES)
    throw new RangeError(`QR payload must be 1..${QR_MAX_BYTES} bytes, got ${data.length}`);
  const size = byteInRange('QR module size', moduleSize, 1, 16);
  const storeLength = data.length + 3;
  return concatBytes([
    Uint8Array.of(GS, 0x28, 0x6b, 0x04, 0x00, 0x31, 0x41, 0x32, 0x00),
    Uint8Array.of(GS, 0x28, 0x6b, 0x03, 0x00, 0x31, 0x43, size),
    Uint8Array.of(GS, 0x28, 0x6b, 0x03, 0x00, 0x31, 0x45, QR_ECC_CODE[errorCorrection]),
    Uint8Array.of(GS, 0x28, 0x6b, storeLength & 0xff, storeLength >> 8, 0x31, 0x50, 0x30),
    data,
    Uint8Array.of(GS, 0x28, 0x6b, 0x03, 0x00, 0x31, 0x51, 0x30),
  ]);
}

/** A 1-bit image: rows of ceil(widthDots / 8) bytes, most significant bit = leftmost dot, 1 = black. */
export type RasterImage = { widthDots: number; heightDots: number; data: Uint8Array };

export function rasterBytesPerRow(widthDots: number): number {
  return Math.ceil(widthDots / 8);
}

/** `1D 76 30 m xL xH yL yH d…`: x = bytes per row, y = dot rows, m = 0 (normal density). */
export function rasterImage(image: RasterImage): Uint8Array {
  const x = rasterBytesPerRow(image.widthDots);
  const y = image.heightDots;
  byteInRange('raster bytes per row', x, 1, 0xffff);
  byteInRange('raster rows', y, 1, 0xffff);
  if (image.data.length !== x * y)
    throw new RangeError(`raster data must be ${x}×${y} = ${x * y} bytes, got ${image.data.length}`);
  return concatBytes([Uint8Array.of(GS, 0x76, 0x30, 0x00, x & 0xff, x >> 8, y & 0xff, y >> 8), image.data]);
}

export type RealtimeStatusKind = 1 | 2 | 3 | 4;

/** `10 04 n` real-time status; never sent in the middle of another command or image data. */
export function realtimeStatusRequest(n: RealtimeStatusKind): Uint8Array {
  return Uint8Array.of(DLE, EOT, n);
}

/** `10 05 n` recover from a recoverable error: 1 = restart from the error line, 2 = clear buffers. */
export function realtimeRecover(n: 1 | 2): Uint8Array {
  return Uint8Array.of(DLE, ENQ, n);
}

export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  let total = 0;
  for (const p of parts) total += p.length;
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
