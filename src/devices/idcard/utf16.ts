/**
 * Text block fields are UTF-16LE, space padded (docs/devices-idcard.md, "Text block: resident ID card").
 * Names may hold characters outside the BMP (𠮷 U+20BB7 = D842 DFB7), so surrogate pairs are decoded as pairs
 * and a lone surrogate is a corrupt field, not a character.
 */
import { err, ok, type Result } from '../result.js';

export function decodeUtf16le(bytes: Uint8Array): Result<string, 'bad-encoding'> {
  const units = Math.floor(bytes.length / 2);
  let out = '';
  for (let i = 0; i < units; i++) {
    const u = bytes[2 * i]! | (bytes[2 * i + 1]! << 8);
    if (u >= 0xd800 && u <= 0xdbff) {
      if (i + 1 >= units) return err('bad-encoding');
      const lo = bytes[2 * i + 2]! | (bytes[2 * i + 3]! << 8);
      if (lo < 0xdc00 || lo > 0xdfff) return err('bad-encoding');
      out += String.fromCharCode(u, lo);
      i++;
    } else if (u >= 0xdc00 && u <= 0xdfff) {
      return err('bad-encoding');
    } else {
      out += String.fromCharCode(u);
    }
  }
  return ok(out);
}

/** Padding is U+0020; some readers leave U+0000 in unused fields. Both are dropped at the ends. */
export function trimPadding(text: string): string {
  const pad = (i: number) => text.charCodeAt(i) === 0x20 || text.charCodeAt(i) === 0x00;
  let start = 0;
  let end = text.length;
  while (start < end && pad(start)) start++;
  while (end > start && pad(end - 1)) end--;
  return text.slice(start, end);
}

/** Decodes one fixed-width field and strips its padding. */
export function decodeField(
  block: Uint8Array,
  offset: number,
  length: number,
): Result<string, 'bad-encoding'> {
  const raw = decodeUtf16le(block.subarray(offset, offset + length));
  return raw.ok ? ok(trimPadding(raw.value)) : raw;
}

/** Encodes `text` into exactly `length` bytes, padded with spaces; refuses text that does not fit. */
export function encodeField(text: string, length: number): Result<Uint8Array, 'too-long' | 'bad-encoding'> {
  if (text.length * 2 > length) return err('too-long');
  const out = new Uint8Array(length);
  for (let i = 0; i < length / 2; i++) {
    const u = i < text.length ? text.charCodeAt(i) : 0x20;
    if (u >= 0xd800 && u <= 0xdbff) {
      const lo = text.charCodeAt(i + 1);
      if (!(lo >= 0xdc00 && lo <= 0xdfff)) return err('bad-encoding');
    } else if (u >= 0xdc00 && u <= 0xdfff) {
      const hi = text.charCodeAt(i - 1);
      if (!(hi >= 0xd800 && hi <= 0xdbff)) return err('bad-encoding');
    }
    out[2 * i] = u & 0xff;
    out[2 * i + 1] = u >> 8;
  }
  return ok(out);
}
