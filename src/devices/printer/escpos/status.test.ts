import { describe, expect, it } from 'vitest';
import {
  canPrint,
  decodeRealtimeStatus,
  isAsbFirstByte,
  isRealtimeStatusReply,
  type StatusBytes,
  type StatusCondition,
} from './status.js';

const READY: StatusBytes = { printer: 0x12, offlineCause: 0x12, error: 0x12, paper: 0x12 };

describe('real-time status reply mask 0xx1xx10', () => {
  it('accepts every byte with bits 1 and 4 set and bits 0 and 7 clear, and nothing else', () => {
    for (let b = 0; b < 256; b++) {
      const expected = (b & 0x02) !== 0 && (b & 0x10) !== 0 && (b & 0x01) === 0 && (b & 0x80) === 0;
      expect(isRealtimeStatusReply(b), `byte ${b.toString(16)}`).toBe(expected);
    }
  });

  it('tells ASB first bytes (0xx1xx00) and GS r replies (0xx0xxxx) apart', () => {
    expect(isAsbFirstByte(0x10)).toBe(true);
    expect(isRealtimeStatusReply(0x10)).toBe(false);
    expect(isAsbFirstByte(0x12)).toBe(false);
    expect(isRealtimeStatusReply(0x03)).toBe(false); // GS r "paper near end"
    expect(isRealtimeStatusReply(0x0c)).toBe(false); // GS r "paper end"
  });
});

describe('decodeRealtimeStatus, one bit at a time', () => {
  it.each<[keyof StatusBytes, number, StatusCondition, string]>([
    ['printer', 0x08, 'offline', 'offline'],
    ['printer', 0x20, 'waiting-for-online-recovery', 'ready'],
    ['printer', 0x40, 'feed-button-pressed', 'ready'],
    ['offlineCause', 0x04, 'cover-open', 'cover-open'],
    ['offlineCause', 0x08, 'paper-fed-by-button', 'ready'],
    ['offlineCause', 0x20, 'stopped-at-paper-end', 'paper-out'],
    ['offlineCause', 0x40, 'error-occurred', 'error'],
    ['error', 0x08, 'autocutter-error', 'error'],
    ['error', 0x20, 'unrecoverable-error', 'error'],
    ['error', 0x40, 'auto-recoverable-error', 'error'],
    ['paper', 0x04, 'paper-near-end', 'paper-near-end'],
    ['paper', 0x08, 'paper-near-end', 'paper-near-end'],
    ['paper', 0x0c, 'paper-near-end', 'paper-near-end'],
    ['paper', 0x20, 'paper-end', 'paper-out'],
    ['paper', 0x40, 'paper-end', 'paper-out'],
    ['paper', 0x60, 'paper-end', 'paper-out'],
  ])('%s bit mask %s → %s → %s', (byte, mask, condition, status) => {
    const d = decodeRealtimeStatus({ ...READY, [byte]: READY[byte] | mask });
    expect(d.conditions).toEqual([condition]);
    expect(d.status).toBe(status);
  });

  it('all clear is ready, with the raw bytes in the detail', () => {
    const d = decodeRealtimeStatus(READY);
    expect(d).toMatchObject({ status: 'ready', conditions: [] });
    expect(d.detail).toContain('12 12 12 12');
  });

  it('a real paper-out answer (offline + stopped at paper end + paper end) is paper-out, detail lists all', () => {
    const d = decodeRealtimeStatus({ printer: 0x1a, offlineCause: 0x32, error: 0x12, paper: 0x7e });
    expect(d.status).toBe('paper-out');
    expect(d.conditions).toEqual(['offline', 'stopped-at-paper-end', 'paper-near-end', 'paper-end']);
    expect(d.detail).toMatch(/offline; printing stopped at paper end; paper near end; paper end/);
  });

  it('cover open wins over paper end, and an open cover with an error is still cover-open', () => {
    expect(decodeRealtimeStatus({ printer: 0x1a, offlineCause: 0x36, error: 0x12, paper: 0x72 }).status).toBe(
      'cover-open',
    );
    expect(decodeRealtimeStatus({ printer: 0x1a, offlineCause: 0x56, error: 0x1a, paper: 0x12 }).status).toBe(
      'cover-open',
    );
  });

  it('canPrint: only ready and paper-near-end', () => {
    expect(canPrint('ready')).toBe(true);
    expect(canPrint('paper-near-end')).toBe(true);
    for (const s of ['paper-out', 'cover-open', 'offline', 'error'] as const) expect(canPrint(s)).toBe(false);
  });
});
