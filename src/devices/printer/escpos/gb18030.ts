/**
 * Text for Chinese ESC/POS printers (docs/devices-printer.md, "Chinese text"): GB18030 via
 * iconv-lite. Printer fonts cover only the one- and two-byte ranges, so a character GB18030 maps to
 * four bytes cannot be printed as text: `¥` is swapped for full-width `￥` (A3 A4) and any other
 * four-byte character (rare name characters such as 𠮷) makes its line a raster image.
 */
import type * as IconvLite from 'iconv-lite';
import { lazyRequire } from '../../../shared/lazy-require.js';

const iconv = lazyRequire<typeof IconvLite>('iconv-lite');

/** Column widths follow the byte count: one byte = one 12-dot column, two bytes = one 24-dot cell. */
const widthCache = new Map<string, 1 | 2 | 4>();

/** Bytes GB18030 uses for one code point (1, 2 or 4). */
export function gb18030ByteLength(ch: string): 1 | 2 | 4 {
  const code = ch.codePointAt(0) ?? 0;
  if (code < 0x80) return 1;
  const cached = widthCache.get(ch);
  if (cached !== undefined) return cached;
  const n = iconv().encode(ch, 'gb18030').length;
  const len: 1 | 2 | 4 = n === 1 ? 1 : n === 2 ? 2 : 4;
  if (widthCache.size < 10_000) widthCache.set(ch, len);
  return len;
}

export function isFourByteChar(ch: string): boolean {
  return gb18030ByteLength(ch) === 4;
}

/** Printed width in ASCII columns: 1 for one-byte characters, 2 for everything wider (CJK cells). */
export function charColumns(ch: string): 1 | 2 {
  return gb18030ByteLength(ch) === 1 ? 1 : 2;
}

export function textColumns(text: string): number {
  let n = 0;
  for (const ch of text) n += charColumns(ch);
  return n;
}

export function hasFourByteChar(text: string): boolean {
  for (const ch of text) if (isFourByteChar(ch)) return true;
  return false;
}

/**
 * Makes text safe for the printer font: `¥` (U+00A5, four bytes 81 30 84 36, prints as "0 6") becomes
 * `￥` (U+FFE5, A3 A4); tabs become a space; other control characters (which would be read as commands,
 * e.g. 10 04 as a status request) are dropped.
 */
export function normalizeForPrinter(text: string): string {
  return (
    text
      .replace(/\u00a5/g, '\uffe5')
      .replace(/\t/g, ' ')
      // eslint-disable-next-line no-control-regex -- control characters are exactly what must be removed
      .replace(/[\u0000-\u001f\u007f]/g, '')
  );
}

export function encodeGb18030(text: string): Uint8Array {
  const b = iconv().encode(text, 'gb18030');
  return new Uint8Array(b.buffer, b.byteOffset, b.length);
}

export function decodeGb18030(bytes: Uint8Array): string {
  return iconv().decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length), 'gb18030');
}
