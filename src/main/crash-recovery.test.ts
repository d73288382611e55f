import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  backoffDelay,
  createCrashRecovery,
  DEFAULT_CRASH_RECOVERY,
  systemClock,
  type CrashRecoveryOptions,
} from './crash-recovery.js';

const silent = { info: vi.fn(), warn: vi.fn(), error: vi.fn() };

function setup(options: Partial<CrashRecoveryOptions> = {}) {
  const target = { reload: vi.fn(), killRenderer: vi.fn(), isDestroyed: vi.fn(() => false) };
  const relaunch = vi.fn();
  const recovery = createCrashRecovery({ target, relaunch, clock: systemClock, logger: silent, options });
  return { target, relaunch, recovery };
}

describe('backoffDelay', () => {
  it('doubles from 1 s and caps at 60 s', () => {
    const delays = Array.from({ length: 9 }, (_, i) => backoffDelay(i + 1, DEFAULT_CRASH_RECOVERY));
    expect(delays).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000, 60_000]);
    expect(backoffDelay(500, DEFAULT_CRASH_RECOVERY)).toBe(60_000);
  });
});

describe('createCrashRecovery', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('reloads a crashed renderer after the backoff delay, not before', () => {
    const { target, recovery } = setup();
    expect(recovery.reportFailure('render-process-gone', 'crashed')).toEqual({
      kind: 'reload-scheduled',
      delayMs: 1_000,
      consecutiveFailures: 1,
    });
    vi.advanceTimersByTime(999);
    expect(target.reload).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(target.reload).toHaveBeenCalledOnce();
    expect(target.killRenderer).not.toHaveBeenCalled();
  });

  it('doubles the delay for consecutive failures and caps it', () => {
    const { target, recovery } = setup({ maxConsecutiveFailures: 100 });
    const delays: number[] = [];
    for (let i = 0; i < 9; i += 1) {
      const action = recovery.reportFailure('render-process-gone', 'crashed');
      if (action.kind !== 'reload-scheduled') throw new Error(`unexpected ${action.kind}`);
      delays.push(action.delayMs);
      vi.advanceTimersByTime(action.delayMs);
    }
    expect(delays).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000, 60_000]);
    expect(target.reload).toHaveBeenCalledTimes(9);
  });

  it('resets the backoff after a stable period since the last recovery', () => {
    const { recovery } = setup({ stableAfterMs: 120_000 });
    recovery.reportFailure('render-process-gone', 'crashed');
    vi.advanceTimersByTime(1_000);
    recovery.reportFailure('render-process-gone', 'crashed');
    vi.advanceTimersByTime(2_000);
    expect(recovery.consecutiveFailures()).toBe(2);
    // Just short of stable: the next failure continues the ladder.
    vi.advanceTimersByTime(119_999);
    const ladder = recovery.reportFailure('render-process-gone', 'crashed');
    expect(ladder).toMatchObject({ kind: 'reload-scheduled', delayMs: 4_000, consecutiveFailures: 3 });
    vi.advanceTimersByTime(4_000);
    // Stable for the full period: back to the first step.
    vi.advanceTimersByTime(120_000);
    expect(recovery.reportFailure('render-process-gone', 'crashed')).toMatchObject({
      delayMs: 1_000,
      consecutiveFailures: 1,
    });
  });

  it('relaunches the app when failures reach the limit, and then does nothing more', () => {
    const { target, relaunch, recovery } = setup({ maxConsecutiveFailures: 4 });
    for (let i = 0; i < 3; i += 1) {
      expect(recovery.reportFailure('render-process-gone', 'oom').kind).toBe('reload-scheduled');
      vi.runOnlyPendingTimers();
    }
    expect(relaunch).not.toHaveBeenCalled();
    expect(recovery.reportFailure('render-process-gone', 'oom')).toEqual({
      kind: 'relaunch',
      consecutiveFailures: 4,
    });
    expect(relaunch).toHaveBeenCalledOnce();
    expect(recovery.reportFailure('render-process-gone', 'oom')).toEqual({
      kind: 'ignored',
      reason: 'stopped',
    });
    vi.runAllTimers();
    expect(relaunch).toHaveBeenCalledOnce();
    expect(target.reload).toHaveBeenCalledTimes(3);
  });

  it('counts a burst of failure events while a reload is pending once', () => {
    const { target, recovery } = setup();
    recovery.reportFailure('render-process-gone', 'crashed');
    expect(recovery.reportFailure('child-process-gone', 'crashed')).toEqual({
      kind: 'ignored',
      reason: 'already-scheduled',
    });
    expect(recovery.consecutiveFailures()).toBe(1);
    vi.runAllTimers();
    expect(target.reload).toHaveBeenCalledOnce();
  });

  it('reloads after a GPU or utility process crash but not after a clean exit', () => {
    const { target, recovery } = setup();
    expect(recovery.reportFailure('child-process-gone', 'clean-exit')).toEqual({
      kind: 'ignored',
      reason: 'clean-exit',
    });
    expect(recovery.reportFailure('child-process-gone', 'crashed').kind).toBe('reload-scheduled');
    vi.runAllTimers();
    expect(target.reload).toHaveBeenCalledOnce();
  });

  it('kills a hung renderer before reloading it and ignores the resulting process-gone event', () => {
    const { target, recovery } = setup();
    recovery.reportFailure('unresponsive');
    vi.advanceTimersByTime(1_000);
    expect(target.killRenderer).toHaveBeenCalledOnce();
    expect(target.reload).toHaveBeenCalledOnce();
    expect(target.killRenderer.mock.invocationCallOrder[0]).toBeLessThan(
      target.reload.mock.invocationCallOrder[0] ?? 0,
    );
    expect(recovery.reportFailure('render-process-gone', 'killed')).toEqual({
      kind: 'ignored',
      reason: 'self-inflicted',
    });
    // Only that one event: a later crash is a real failure again.
    expect(recovery.reportFailure('render-process-gone', 'crashed').kind).toBe('reload-scheduled');
  });

  it('cancels a reload scheduled for a hang when the page answers again', () => {
    const { target, recovery } = setup();
    recovery.reportFailure('unresponsive');
    recovery.reportResponsive();
    vi.runAllTimers();
    expect(target.reload).not.toHaveBeenCalled();
    expect(target.killRenderer).not.toHaveBeenCalled();
  });

  it('does not cancel a crash reload because of a responsive event', () => {
    const { target, recovery } = setup();
    recovery.reportFailure('render-process-gone', 'crashed');
    recovery.reportResponsive();
    vi.runAllTimers();
    expect(target.reload).toHaveBeenCalledOnce();
  });

  it('stops: a pending reload is cancelled and later failures are ignored', () => {
    const { target, relaunch, recovery } = setup({ maxConsecutiveFailures: 1 });
    recovery.stop();
    expect(recovery.reportFailure('render-process-gone', 'crashed')).toEqual({
      kind: 'ignored',
      reason: 'stopped',
    });
    expect(relaunch).not.toHaveBeenCalled();
    const second = setup();
    second.recovery.reportFailure('load-failed', '-102 ERR_CONNECTION_REFUSED');
    second.recovery.stop();
    vi.runAllTimers();
    expect(second.target.reload).not.toHaveBeenCalled();
    expect(target.reload).not.toHaveBeenCalled();
  });

  it('does not touch a destroyed window', () => {
    const { target, recovery } = setup();
    target.isDestroyed.mockReturnValue(true);
    recovery.reportFailure('render-process-gone', 'crashed');
    vi.runAllTimers();
    expect(target.reload).not.toHaveBeenCalled();
  });
});
