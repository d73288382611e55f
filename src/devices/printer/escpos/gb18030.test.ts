import { describe, expect, it } from 'vitest';
import {
  charColumns,
  encodeGb18030,
  gb18030ByteLength,
  hasFourByteChar,
  normalizeForPrinter,
  textColumns,
} from './gb18030.js';

describe('GB18030 text for the printer font', () => {
  it('¥ would be four bytes (81 30 84 36); normalised it is full-width ￥ = A3 A4', () => {
    expect(Buffer.from(encodeGb18030('¥')).toString('hex')).toBe('81308436');
    expect(normalizeForPrinter('¥12.50')).toBe('￥12.50');
    expect(Buffer.from(encodeGb18030(normalizeForPrinter('¥'))).toString('hex')).toBe('a3a4');
  });

  it('knows byte lengths: ASCII 1, common CJK 2, rare name characters 4', () => {
    expect(gb18030ByteLength('A')).toBe(1);
    expect(gb18030ByteLength('中')).toBe(2);
    expect(gb18030ByteLength('×')).toBe(2);
    expect(gb18030ByteLength('𠮷')).toBe(4);
    expect(gb18030ByteLength('✓')).toBe(4);
    expect(hasFourByteChar('张𠮷')).toBe(true);
    expect(hasFourByteChar('张*三 ￥')).toBe(false);
  });

  it('counts columns: ASCII 1, everything wider 2', () => {
    expect(charColumns('a')).toBe(1);
    expect(charColumns('政')).toBe(2);
    expect(charColumns('（')).toBe(2);
    expect(textColumns('A005 前方等待')).toBe(5 + 8);
  });

  it('drops control characters so text can never smuggle a command (e.g. 10 04 01)', () => {
    expect(normalizeForPrinter('a\x10\x04\x01b\tc\x1b@')).toBe('ab c@');
  });
});
