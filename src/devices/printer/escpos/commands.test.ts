import { describe, expect, it } from 'vitest';
import {
  align,
  bold,
  characterSize,
  chineseMode,
  cut,
  feedLines,
  initialize,
  qrCode,
  rasterImage,
  realtimeRecover,
  realtimeStatusRequest,
} from './commands.js';

const hex = (b: Uint8Array): string =>
  Buffer.from(b)
    .toString('hex')
    .toUpperCase()
    .replace(/(..)(?!$)/g, '$1 ');

// Expected bytes are copied from the reference table in docs/devices-printer.md, "Commands the kiosk uses".
describe('ESC/POS commands, byte-exact against the reference table', () => {
  it('initialize, Chinese mode on/off', () => {
    expect(hex(initialize())).toBe('1B 40');
    expect(hex(chineseMode(true))).toBe('1C 26');
    expect(hex(chineseMode(false))).toBe('1C 2E');
  });

  it('character size packs width−1 in the high nibble and height−1 in the low nibble', () => {
    expect(hex(characterSize({ width: 1, height: 1 }))).toBe('1D 21 00');
    expect(hex(characterSize({ width: 2, height: 2 }))).toBe('1D 21 11');
    expect(hex(characterSize({ width: 2, height: 1 }))).toBe('1D 21 10');
    expect(hex(characterSize({ width: 1, height: 2 }))).toBe('1D 21 01');
    expect(hex(characterSize({ width: 8, height: 8 }))).toBe('1D 21 77');
    expect(() => characterSize({ width: 9, height: 1 })).toThrow(RangeError);
    expect(() => characterSize({ width: 0, height: 1 })).toThrow(RangeError);
  });

  it('bold, alignment, feed', () => {
    expect(hex(bold(true))).toBe('1B 45 01');
    expect(hex(bold(false))).toBe('1B 45 00');
    expect(hex(align('left'))).toBe('1B 61 00');
    expect(hex(align('center'))).toBe('1B 61 01');
    expect(hex(align('right'))).toBe('1B 61 02');
    expect(hex(feedLines(3))).toBe('1B 64 03');
    expect(() => feedLines(256)).toThrow(RangeError);
  });

  it.each([
    ['full', undefined, '1D 56 00'],
    ['partial', undefined, '1D 56 01'],
    ['full', 5, '1D 56 41 05'],
    ['partial', 4, '1D 56 42 04'],
  ] as const)('cut %s feed %s', (kind, feed, expected) => {
    expect(hex(cut(kind, feed))).toBe(expected);
  });

  it('QR: model 2, module size, error correction, store (pL + pH·256 = k + 3), print', () => {
    const data = new TextEncoder().encode('ABC');
    expect(hex(qrCode(data, 6, 'M'))).toBe(
      [
        '1D 28 6B 04 00 31 41 32 00',
        '1D 28 6B 03 00 31 43 06',
        '1D 28 6B 03 00 31 45 31',
        '1D 28 6B 06 00 31 50 30 41 42 43',
        '1D 28 6B 03 00 31 51 30',
      ].join(' '),
    );
    expect(hex(qrCode(data, 1, 'L'))).toContain('31 45 30');
    expect(hex(qrCode(data, 16, 'H'))).toContain('31 43 10 1D 28 6B 03 00 31 45 33');
  });

  it('QR store length carries into pH for payloads over 252 bytes', () => {
    const data = new Uint8Array(300).fill(0x41);
    const bytes = qrCode(data, 4, 'Q');
    const store = Buffer.from(bytes).indexOf(Buffer.from([0x31, 0x50, 0x30]));
    // 300 + 3 = 303 = 0x012F → pL 2F, pH 01
    expect(bytes[store - 2]).toBe(0x2f);
    expect(bytes[store - 1]).toBe(0x01);
    expect(() => qrCode(new Uint8Array(0), 4, 'M')).toThrow(RangeError);
    expect(() => qrCode(new Uint8Array(7090), 4, 'M')).toThrow(RangeError);
  });

  it('raster header: GS v 0 m xL xH yL yH with x in bytes per row', () => {
    const image = { widthDots: 576, heightDots: 300, data: new Uint8Array(72 * 300).fill(0xaa) };
    const bytes = rasterImage(image);
    expect(hex(bytes.subarray(0, 8))).toBe('1D 76 30 00 48 00 2C 01');
    expect(bytes.length).toBe(8 + 72 * 300);
    // 10 dots need 2 bytes per row
    expect(hex(rasterImage({ widthDots: 10, heightDots: 1, data: new Uint8Array(2) }).subarray(0, 8))).toBe(
      '1D 76 30 00 02 00 01 00',
    );
    expect(() => rasterImage({ widthDots: 16, heightDots: 2, data: new Uint8Array(3) })).toThrow(RangeError);
  });

  it('real-time status and recovery', () => {
    expect(hex(realtimeStatusRequest(1))).toBe('10 04 01');
    expect(hex(realtimeStatusRequest(4))).toBe('10 04 04');
    expect(hex(realtimeRecover(2))).toBe('10 05 02');
  });
});
