/**
 * Decoder for binary Netpbm images, SANE's native output (`scanimage --format=pnm`): P4 (1 bit,
 * packed rows, 1 = black), P5 (grey) and P6 (RGB), maxval up to 255 (one byte) or 65535 (two bytes,
 * big-endian), per the Netpbm format pages. sharp cannot read PNM, so pages are handed to it as raw
 * 8-bit pixels.
 */
import { err, ok, type Result } from '../result.js';

export type RawPixels = { width: number; height: number; channels: 1 | 3; data: Buffer };

const MAX_SIDE = 100_000;

function isSpace(b: number): boolean {
  return b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d || b === 0x0b || b === 0x0c;
}

export function decodePnm(buf: Buffer): Result<RawPixels, string> {
  if (buf.length < 3 || buf[0] !== 0x50) return err('not a PNM image');
  const magic = String.fromCharCode(buf[1] ?? 0);
  if (magic !== '4' && magic !== '5' && magic !== '6')
    return err(`PNM type P${magic} is not supported (binary P4/P5/P6 only)`);
  const wantTokens = magic === '4' ? 2 : 3;
  const tokens: number[] = [];
  let pos = 2;
  // Header: whitespace-separated decimal tokens, `#` comments to end of line; exactly one whitespace
  // byte separates the last token from the pixel data.
  while (tokens.length < wantTokens) {
    while (pos < buf.length) {
      const b = buf[pos]!;
      if (isSpace(b)) pos++;
      else if (b === 0x23) {
        while (pos < buf.length && buf[pos] !== 0x0a && buf[pos] !== 0x0d) pos++;
      } else break;
    }
    const start = pos;
    while (pos < buf.length && buf[pos]! >= 0x30 && buf[pos]! <= 0x39) pos++;
    if (pos === start || pos - start > 9) return err('PNM header is malformed');
    tokens.push(Number(buf.toString('latin1', start, pos)));
  }
  if (pos >= buf.length || !isSpace(buf[pos]!)) return err('PNM header is malformed');
  pos++;
  const width = tokens[0]!;
  const height = tokens[1]!;
  const maxval = magic === '4' ? 1 : tokens[2]!;
  if (width < 1 || height < 1 || width > MAX_SIDE || height > MAX_SIDE)
    return err(`PNM size ${width}x${height} is out of range`);
  if (maxval < 1 || maxval > 65535) return err(`PNM maxval ${maxval} is out of range`);
  const body = buf.subarray(pos);

  if (magic === '4') {
    const rowBytes = Math.ceil(width / 8);
    if (body.length < rowBytes * height) return err('PNM image is truncated');
    const out = Buffer.alloc(width * height);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const bit = (body[y * rowBytes + (x >> 3)]! >> (7 - (x & 7))) & 1;
        out[y * width + x] = bit === 1 ? 0 : 255;
      }
    }
    return ok({ width, height, channels: 1, data: out });
  }

  const channels = magic === '5' ? 1 : 3;
  const samples = width * height * channels;
  const bytesPerSample = maxval > 255 ? 2 : 1;
  if (body.length < samples * bytesPerSample) return err('PNM image is truncated');
  // The common case (8-bit, maxval 255) is already raw pixels.
  if (maxval === 255) return ok({ width, height, channels, data: body.subarray(0, samples) });
  const out = Buffer.alloc(samples);
  for (let i = 0; i < samples; i++) {
    const v = bytesPerSample === 2 ? body.readUInt16BE(i * 2) : body[i]!;
    out[i] = maxval === 255 ? v : Math.round((v * 255) / maxval);
  }
  return ok({ width, height, channels, data: out });
}
