/**
 * Reconnect backoff with an injected clock: the transport is real (serialport failing to open a
 * device that does not exist), only time is fake, so the schedule is checked without waiting.
 */
import { pino } from 'pino';
import { describe, expect, it, vi } from 'vitest';
import { backoffDelay, DEFAULT_BACKOFF } from './backoff.js';
import { createGa467Reader } from './driver.js';
import { openSerialTransport } from './serial-transport.js';
import type { Clock, IdCardStatus } from './types.js';

class ManualClock implements Clock {
  private t = 0;
  private seq = 0;
  private readonly timers = new Map<number, { at: number; fn: () => void }>();
  now(): number {
    return this.t;
  }
  setTimeout(fn: () => void, ms: number): unknown {
    const id = ++this.seq;
    this.timers.set(id, { at: this.t + ms, fn });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as number);
  }
  /** Runs due timers in time order; bounded by the number of timers set. */
  advance(ms: number): void {
    const end = this.t + ms;
    for (let guard = 0; guard < 10_000; guard++) {
      const next = [...this.timers.entries()]
        .filter(([, v]) => v.at <= end)
        .sort((a, b) => a[1].at - b[1].at)[0];
      if (!next) break;
      this.timers.delete(next[0]);
      this.t = next[1].at;
      next[1].fn();
    }
    this.t = end;
  }
}

describe('backoffDelay', () => {
  it('doubles from the initial delay up to the cap', () => {
    expect(Array.from({ length: 9 }, (_, i) => backoffDelay(i, DEFAULT_BACKOFF))).toEqual([
      250, 500, 1000, 2000, 4000, 8000, 10000, 10000, 10000,
    ]);
    expect(backoffDelay(1e6, DEFAULT_BACKOFF)).toBe(10000);
  });
});

describe('reconnect with backoff (injected clock, real serial open failures)', () => {
  it('retries opening a missing port on the backoff schedule, no sooner', async () => {
    const clock = new ManualClock();
    let opens = 0;
    const reader = createGa467Reader({
      open: () => {
        opens++;
        return openSerialTransport({ path: '/nonexistent-idcard-test/ttyUSB9', baud: 115200 });
      },
      baud: 115200,
      logger: pino({ level: 'silent' }),
      clock,
    });
    const statuses: IdCardStatus[] = [];
    reader.subscribe((e) => {
      if (e.type === 'status') statuses.push(e.status);
    });
    reader.start();
    const expected = [250, 500, 1000, 2000, 4000, 8000, 10000, 10000];
    for (const [i, delay] of expected.entries()) {
      await vi.waitFor(() =>
        expect(statuses.at(-1)).toMatchObject({
          state: 'disconnected',
          reason: 'open-failed',
          retryInMs: delay,
        }),
      );
      expect(opens).toBe(i + 1);
      const status = statuses.at(-1);
      if (status?.state === 'disconnected')
        expect(status.message).toContain('/nonexistent-idcard-test/ttyUSB9');
      clock.advance(delay - 1);
      await new Promise((r) => setTimeout(r, 5));
      expect(opens, 'no retry before the delay has passed').toBe(i + 1);
      clock.advance(1);
    }
    await reader.stop();
    expect(reader.status()).toEqual({ state: 'stopped' });
  });
});
