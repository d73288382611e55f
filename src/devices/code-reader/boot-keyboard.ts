/**
 * QR/barcode readers in their default "keyboard" mode are USB HID boot keyboards: every report is
 * 8 bytes — modifiers, reserved, then up to six key usage codes (USB HID Usage Tables, keyboard page
 * 0x07). A scan arrives as key-down reports for each character followed by Enter (0x28), with
 * all-zero key-up reports between them. This decoder turns such reports into whole scanned codes.
 */

const LEFT_SHIFT = 0x02;
const RIGHT_SHIFT = 0x20;
const ENTER = 0x28;
const KEYPAD_ENTER = 0x58;
const TAB = 0x2b;

/** Usage IDs 0x04–0x38 on a US layout (what code readers emulate), unshifted and shifted. */
const KEYMAP: Record<number, readonly [string, string]> = (() => {
  const map: Record<number, readonly [string, string]> = {};
  for (let i = 0; i < 26; i++) map[0x04 + i] = [String.fromCharCode(97 + i), String.fromCharCode(65 + i)];
  const digits = '1234567890';
  const shifted = '!@#$%^&*()';
  for (let i = 0; i < 10; i++) map[0x1e + i] = [digits[i]!, shifted[i]!];
  const rest: [number, string, string][] = [
    [0x2c, ' ', ' '],
    [0x2d, '-', '_'],
    [0x2e, '=', '+'],
    [0x2f, '[', '{'],
    [0x30, ']', '}'],
    [0x31, '\\', '|'],
    [0x33, ';', ':'],
    [0x34, "'", '"'],
    [0x35, '`', '~'],
    [0x36, ',', '<'],
    [0x37, '.', '>'],
    [0x38, '/', '?'],
  ];
  for (const [code, a, b] of rest) map[code] = [a, b];
  // Keypad digits and symbols, which some readers send for numeric codes.
  const keypad: [number, string][] = [
    [0x54, '/'],
    [0x55, '*'],
    [0x56, '-'],
    [0x57, '+'],
    [0x59, '1'],
    [0x5a, '2'],
    [0x5b, '3'],
    [0x5c, '4'],
    [0x5d, '5'],
    [0x5e, '6'],
    [0x5f, '7'],
    [0x60, '8'],
    [0x61, '9'],
    [0x62, '0'],
    [0x63, '.'],
  ];
  for (const [code, c] of keypad) map[code] = [c, c];
  return map;
})();

export type KeyboardDecodeEvent = { type: 'code'; code: string } | { type: 'overflow'; discarded: number };

/** Longest code accepted; anything longer is garbage or a stuck key, and is discarded. */
export const MAX_CODE_LENGTH = 512;

export function createBootKeyboardDecoder() {
  let buffer = '';
  let pressed = new Set<number>();
  return {
    /** Feeds one input report; returns the codes completed by it. Never throws on odd input. */
    push(report: Uint8Array): KeyboardDecodeEvent[] {
      // Some devices prefix a report id; boot reports are exactly 8 bytes.
      const r = report.length === 9 ? report.subarray(1) : report;
      if (r.length < 3) return [];
      const shift = ((r[0] ?? 0) & (LEFT_SHIFT | RIGHT_SHIFT)) !== 0;
      const keys = [...r.subarray(2, 8)].filter((k) => k > 0x03); // 0 none, 1–3 error/rollover codes
      const events: KeyboardDecodeEvent[] = [];
      const now = new Set(keys);
      for (const key of keys) {
        if (pressed.has(key)) continue; // held since the last report: not a new keystroke
        if (key === ENTER || key === KEYPAD_ENTER || key === TAB) {
          if (buffer.length > 0) events.push({ type: 'code', code: buffer });
          buffer = '';
          continue;
        }
        const chars = KEYMAP[key];
        if (!chars) continue;
        buffer += shift ? chars[1] : chars[0];
        if (buffer.length > MAX_CODE_LENGTH) {
          events.push({ type: 'overflow', discarded: buffer.length });
          buffer = '';
        }
      }
      pressed = now;
      return events;
    },
    pending: (): string => buffer,
    reset(): void {
      buffer = '';
      pressed = new Set();
    },
  };
}
