import { describe, expect, it } from 'vitest';
import {
  ACCESS_CODE_ALPHABET,
  formatAccessCode,
  isAccessCode,
  normaliseAccessCode,
  progressQrPayload,
  receiptFromCode,
} from './access-code.js';

describe('receipt QR codes', () => {
  it('round-trips a receipt number through the progress URL', () => {
    const url = progressQrPayload('https://hall.example/zwfw/', 'ZZ01-20261126-0001');
    expect(url).toBe('https://hall.example/zwfw/progress?r=ZZ01-20261126-0001');
    expect(receiptFromCode(url)).toEqual({ receiptNo: 'ZZ01-20261126-0001', accessCode: null });
    expect(receiptFromCode(' zz01-20261126-0001 ')).toEqual({
      receiptNo: 'ZZ01-20261126-0001',
      accessCode: null,
    });
    expect(receiptFromCode('https://example.com/?q=1')).toBeNull();
    expect(receiptFromCode('ZZQ:5f1c')).toBeNull();
  });

  it('carries the access code in the fragment (never sent to a server by a phone) and reads it back', () => {
    const url = progressQrPayload('https://hall.example/zwfw', 'ZZ01-20261126-0001', 'k7qm-x3rd');
    expect(url).toBe('https://hall.example/zwfw/progress?r=ZZ01-20261126-0001#c=K7QMX3RD');
    expect(new URL(url).search).not.toContain('K7QM');
    expect(receiptFromCode(url)).toEqual({ receiptNo: 'ZZ01-20261126-0001', accessCode: 'K7QMX3RD' });
    // A fragment that is not a code is ignored; the number still counts.
    expect(receiptFromCode(`${url.split('#')[0]}#c=OOPS`)).toEqual({
      receiptNo: 'ZZ01-20261126-0001',
      accessCode: null,
    });
  });
});

describe('access codes', () => {
  it('has 32 unambiguous symbols and checks what was typed', () => {
    expect(new Set(ACCESS_CODE_ALPHABET).size).toBe(32);
    for (const ch of '01IO') expect(ACCESS_CODE_ALPHABET).not.toContain(ch);
    expect(normaliseAccessCode(' k7qm-x3rd ')).toBe('K7QMX3RD');
    expect(isAccessCode('K7QMX3RD')).toBe(true);
    expect(isAccessCode('K7QMX3R0')).toBe(false);
    expect(isAccessCode('K7QMX3R')).toBe(false);
    expect(formatAccessCode('k7qmx3rd')).toBe('K7QM-X3RD');
  });
});
