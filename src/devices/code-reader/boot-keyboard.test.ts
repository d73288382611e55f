import { describe, expect, it } from 'vitest';
import { createBootKeyboardDecoder, MAX_CODE_LENGTH } from './boot-keyboard.js';

/** Encodes text as a reader would: key-down report then key-up report per character, then Enter. */
function reportsFor(text: string): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (const ch of text) {
    let mod = 0;
    let key: number;
    if (/[a-z]/.test(ch)) key = 0x04 + ch.charCodeAt(0) - 97;
    else if (/[A-Z]/.test(ch)) {
      key = 0x04 + ch.charCodeAt(0) - 65;
      mod = 0x02;
    } else if (/[1-9]/.test(ch)) key = 0x1e + Number(ch) - 1;
    else if (ch === '0') key = 0x27;
    else if (ch === '/') key = 0x38;
    else if (ch === ':') {
      key = 0x33;
      mod = 0x20;
    } else if (ch === '.') key = 0x37;
    else if (ch === '-') key = 0x2d;
    else if (ch === '?') {
      key = 0x38;
      mod = 0x02;
    } else if (ch === '=') key = 0x2e;
    else throw new Error(`no key for ${ch}`);
    out.push(Uint8Array.of(mod, 0, key, 0, 0, 0, 0, 0), new Uint8Array(8));
  }
  out.push(Uint8Array.of(0, 0, 0x28, 0, 0, 0, 0, 0), new Uint8Array(8));
  return out;
}

describe('boot keyboard decoder', () => {
  it('turns a scan into one code, with shift and punctuation', () => {
    const d = createBootKeyboardDecoder();
    const url = 'https://kiosk.local/p?r=R2026-0001';
    const events = reportsFor(url).flatMap((r) => d.push(r));
    expect(events).toEqual([{ type: 'code', code: url }]);
  });

  it('handles reports with a report-id prefix and several scans in a row', () => {
    const d = createBootKeyboardDecoder();
    const withId = [...reportsFor('AB12'), ...reportsFor('zz9')].map((r) => Uint8Array.of(1, ...r));
    expect(withId.flatMap((r) => d.push(r)).map((e) => (e.type === 'code' ? e.code : '?'))).toEqual([
      'AB12',
      'zz9',
    ]);
  });

  it('does not repeat a key that stays held across reports', () => {
    const d = createBootKeyboardDecoder();
    const a = Uint8Array.of(0, 0, 0x04, 0, 0, 0, 0, 0);
    d.push(a);
    d.push(a);
    d.push(Uint8Array.of(0, 0, 0x04, 0x05, 0, 0, 0, 0)); // a still held, b pressed
    d.push(Uint8Array.of(0, 0, 0x28, 0, 0, 0, 0, 0));
    expect(d.pending()).toBe('');
  });

  it('discards a runaway code and survives garbage reports', () => {
    const d = createBootKeyboardDecoder();
    const events = [];
    for (let i = 0; i < MAX_CODE_LENGTH + 5; i++) {
      events.push(...d.push(Uint8Array.of(0, 0, 0x04, 0, 0, 0, 0, 0)), ...d.push(new Uint8Array(8)));
    }
    expect(events.some((e) => e.type === 'overflow')).toBe(true);
    for (const junk of [
      new Uint8Array(0),
      Uint8Array.of(1),
      Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff),
    ]) {
      expect(() => d.push(junk)).not.toThrow();
    }
    // Enter with an empty buffer yields nothing.
    d.reset();
    expect(d.push(Uint8Array.of(0, 0, 0x28, 0, 0, 0, 0, 0))).toEqual([]);
  });
});
