import { describe, expect, it } from 'vitest';
import { checkIdNumber, gb11643CheckChar, idNumberBirthDate, idNumberSex } from './gb11643.js';

// "the reference": docs/devices-idcard.md, "ID number (GB 11643-1999)", which works this example through.
describe('GB 11643 check character (ISO 7064 MOD 11-2)', () => {
  it('worked example from the reference: 11010519491231002X', () => {
    expect(gb11643CheckChar('11010519491231002')).toBe('X');
    expect(checkIdNumber('11010519491231002X')).toBeNull();
  });

  it('computes every residue class', () => {
    // One number per check character, each verified by hand against the weight table.
    expect(gb11643CheckChar('11010119800101001')).toBe('0');
    expect(gb11643CheckChar('32010219751120003')).toBe('4');
    expect(gb11643CheckChar('81000019940823002')).toBe('1');
    expect(gb11643CheckChar('93172419880315001')).toBe('6');
    const seen = new Set<string>();
    for (let i = 0; i < 400; i++) seen.add(gb11643CheckChar(`1101011980010${String(i).padStart(4, '0')}`)!);
    expect([...seen].sort()).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'X']);
  });

  it('refuses a wrong check character, lower-case x and malformed numbers', () => {
    expect(checkIdNumber('110105194912310021')).toBe('checksum');
    expect(checkIdNumber('11010519491231002x')).toBe('format');
    expect(checkIdNumber('1101051949123100')).toBe('format');
    expect(checkIdNumber('11010519491231002XX')).toBe('format');
    expect(checkIdNumber('A1010519491231002X')).toBe('format');
    expect(gb11643CheckChar('1234')).toBeNull();
  });

  it('detects every single-digit error', () => {
    const good = '44030519900101123X';
    for (let pos = 0; pos < 17; pos++) {
      for (let d = 0; d <= 9; d++) {
        if (String(d) === good[pos]) continue;
        const bad = good.slice(0, pos) + String(d) + good.slice(pos + 1);
        expect(checkIdNumber(bad), bad).toBe('checksum');
      }
    }
  });

  it('reads birth date and sex from the number', () => {
    expect(idNumberBirthDate('11010519491231002X')).toBe('19491231');
    expect(idNumberSex('11010519491231002X')).toBe('female');
    expect(idNumberSex('44030519900101123X')).toBe('male');
  });
});
