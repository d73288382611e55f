import { describe, expect, it } from 'vitest';
import {
  COMMANDS,
  encodeRequest,
  encodeResponse,
  READ_BASE_FRAME_LENGTH,
  sw3Meaning,
  wireTimeMs,
  xorChecksum,
} from './protocol.js';

const hex = (s: string) => Uint8Array.from(s.split(' ').map((b) => parseInt(b, 16)));
const P = 'aa aa aa 96 69';

// "reference" in the titles below: docs/devices-idcard.md, "Protocol reference" (its "Commands" table).
describe('GA 467 frames (reference "Commands": CHK values verified there)', () => {
  it.each([
    ['resetSam', `${P} 00 03 10 ff ec`],
    ['samStatus', `${P} 00 03 11 ff ed`],
    ['samId', `${P} 00 03 12 ff ee`],
    ['findCard', `${P} 00 03 20 01 22`],
    ['selectCard', `${P} 00 03 20 02 21`],
    ['readBase', `${P} 00 03 30 01 32`],
    ['readExtraAddress', `${P} 00 03 30 03 30`],
    ['readWithFingerprint', `${P} 00 03 30 10 23`],
  ] as const)('%s request bytes', (name, bytes) => {
    const c = COMMANDS[name];
    expect(encodeRequest(c.cmd, c.para)).toEqual(hex(bytes));
  });

  it('set baud 115200', () => {
    expect(encodeRequest(COMMANDS.setBaud.cmd, 0x00)).toEqual(hex(`${P} 00 03 60 00 63`));
  });

  it('success and failure responses match the reference bytes', () => {
    expect(encodeResponse(0x90)).toEqual(hex(`${P} 00 04 00 00 90 94`));
    expect(encodeResponse(0x9f, new Uint8Array(4))).toEqual(hex(`${P} 00 08 00 00 9f 00 00 00 00 97`));
    expect(encodeResponse(0x90, new Uint8Array(8))).toEqual(
      hex(`${P} 00 0c 00 00 90 00 00 00 00 00 00 00 00 9c`),
    );
    expect(encodeResponse(0x80)).toEqual(hex(`${P} 00 04 00 00 80 84`));
  });

  it('a base read answer is 1295 bytes with LEN 05 08, text at 14 and photo at 270', () => {
    const data = new Uint8Array(4 + 256 + 1024);
    data.set([0x01, 0x00, 0x04, 0x00]);
    data[4] = 0x11; // first text byte
    data[4 + 256] = 0x22; // first photo byte
    const frame = encodeResponse(0x90, data);
    expect(frame.length).toBe(1295);
    expect(READ_BASE_FRAME_LENGTH).toBe(1295);
    expect([frame[5], frame[6]]).toEqual([0x05, 0x08]);
    expect(frame[14]).toBe(0x11);
    expect(frame[270]).toBe(0x22);
    expect(xorChecksum(frame, 5, frame.length - 1)).toBe(frame[frame.length - 1]);
  });

  it('SW3 table, branching on SW3 only', () => {
    expect(sw3Meaning(0x90)).toBe('success');
    expect(sw3Meaning(0x91)).toBe('no-content');
    expect(sw3Meaning(0x9f)).toBe('find-ok');
    expect(sw3Meaning(0x10)).toBe('checksum-error');
    expect(sw3Meaning(0x11)).toBe('length-error');
    expect([0x31, 0x32, 0x33].map(sw3Meaning)).toEqual(['auth-error', 'auth-error', 'auth-error']);
    expect(sw3Meaning(0x60)).toBe('sam-self-test-failed');
    expect(sw3Meaning(0x66)).toBe('sam-not-authorized');
    expect(sw3Meaning(0x80)).toBe('no-card');
    expect(sw3Meaning(0x81)).toBe('select-failed');
    expect(sw3Meaning(0x42)).toBe('unknown');
  });

  it('wire time is 10 bits per byte', () => {
    expect(wireTimeMs(1295, 115200)).toBeCloseTo(112.41, 2);
    expect(wireTimeMs(96, 9600)).toBe(100);
  });
});
