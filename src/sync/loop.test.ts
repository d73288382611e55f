import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CycleResult } from './cycle.js';
import { startLoop, type SyncLoop } from './loop.js';
import type { WakeUp } from './pull.js';
import type { SyncError } from './sync-error.js';
import { silentLogger } from './testing/fake-fetch.js';
import type { SyncLogger } from './transport.js';

const success: CycleResult = { ok: true, pushed: 0, pulled: 0, backlog: 0 };
const failure = (error: SyncError): CycleResult => ({ ok: false, error, backlog: 1 });
const offline = failure({ kind: 'network', message: 'down' });
const busy = (retryAfterMs: number) =>
  failure({ kind: 'http', status: 503, error: 'unavailable', message: '', retryAfterMs });

let loops: SyncLoop[] = [];
beforeEach(() => {
  vi.useFakeTimers({ now: 0 });
});
afterEach(async () => {
  const stopping = Promise.all(loops.map((l) => l.stop()));
  loops = [];
  await vi.runOnlyPendingTimersAsync();
  await stopping;
  vi.useRealTimers();
});

/** A loop over scripted cycles (the last one repeats), recording when each cycle and wait began. */
function scripted(
  cycles: CycleResult[],
  opts: {
    wait?: (signal: AbortSignal) => Promise<WakeUp>;
    backoff?: { baseMs: number; capMs: number };
    random?: () => number;
    onCycle?: (r: CycleResult) => void;
    logger?: SyncLogger;
  } = {},
) {
  const cycleAt: number[] = [];
  const waitAt: number[] = [];
  const loop = startLoop({
    runOnce: () => {
      cycleAt.push(Date.now());
      return Promise.resolve(cycles[Math.min(cycleAt.length - 1, cycles.length - 1)] ?? success);
    },
    waitForChanges: (signal) => {
      waitAt.push(Date.now());
      return opts.wait ? opts.wait(signal) : Promise.resolve('quiet');
    },
    logger: opts.logger ?? silentLogger,
    random: opts.random ?? (() => 0.999),
    backoff: opts.backoff ?? { baseMs: 100, capMs: 10_000 },
    ...(opts.onCycle ? { onCycle: opts.onCycle } : {}),
  });
  loops.push(loop);
  return { loop, cycleAt, waitAt };
}

const gaps = (times: number[]) => times.slice(1).map((t, i) => t - (times[i] ?? 0));
/** A long-poll that holds until it is cut short (a nudge, stop()). */
const holdUntilAborted = (signal: AbortSignal) =>
  new Promise<WakeUp>((resolve) =>
    signal.addEventListener('abort', () => resolve('changed'), { once: true }),
  );

describe('background loop', () => {
  it('backs off with growing jittered delays after failures, and starts over after a success', async () => {
    const { cycleAt } = scripted([offline, offline, offline, success, offline, offline], {
      wait: holdUntilAborted,
    });
    await vi.advanceTimersByTimeAsync(2000);
    // 0.999 of 100, 200, 400 ms; the success long-polls, and is cut short by nothing here.
    expect(gaps(cycleAt)).toEqual([99, 199, 399]);
  });

  it('never retries before the hall’s Retry-After, nor later than the backoff cap', async () => {
    const { cycleAt } = scripted([busy(5000), busy(60_000), success], {
      random: () => 0,
      backoff: { baseMs: 100, capMs: 20_000 },
      wait: holdUntilAborted,
    });
    await vi.advanceTimersByTimeAsync(4999);
    expect(cycleAt).toEqual([0]);
    await vi.advanceTimersByTimeAsync(1);
    expect(cycleAt).toEqual([0, 5000]);
    await vi.advanceTimersByTimeAsync(30_000);
    expect(cycleAt).toEqual([0, 5000, 25_000]);
  });

  it('cycles again at once while the backlog is not empty, without a long-poll', async () => {
    const { cycleAt, waitAt } = scripted([{ ...success, backlog: 3 }, { ...success, backlog: 1 }, success], {
      wait: holdUntilAborted,
    });
    await vi.advanceTimersByTimeAsync(0);
    expect(cycleAt).toEqual([0, 0, 0]);
    expect(waitAt).toEqual([0]);
  });

  it('backs off between long-polls that fail, so a hall without /v1/wait is not hammered', async () => {
    let waits = 0;
    const { waitAt } = scripted([success], {
      wait: (signal) => {
        waits++;
        // Three failures, a long-poll that runs its course, two more failures, then a quiet hall.
        if (waits === 4) return new Promise((resolve) => setTimeout(() => resolve('quiet'), 1000));
        return waits <= 6 ? Promise.resolve('failed') : holdUntilAborted(signal);
      },
    });
    await vi.advanceTimersByTimeAsync(5000);
    // After an answered long-poll the count starts over (99 ms again, not 799 ms).
    expect(gaps(waitAt)).toEqual([99, 199, 399, 1000, 99, 199]);
  });

  it('a nudge cuts a long-poll short and runs a cycle at once', async () => {
    const { loop, cycleAt } = scripted([success], { wait: holdUntilAborted });
    await vi.advanceTimersByTimeAsync(10_000);
    expect(cycleAt).toEqual([0]);
    loop.nudge();
    await vi.advanceTimersByTimeAsync(0);
    expect(cycleAt).toEqual([0, 10_000]);
  });

  it('a nudge during a failing cycle cuts its backoff short, and stop() never waits one out', async () => {
    let release: (r: CycleResult) => void = () => undefined;
    const cycleAt: number[] = [];
    const loop = startLoop({
      runOnce: () => {
        cycleAt.push(Date.now());
        return cycleAt.length === 1
          ? new Promise<CycleResult>((resolve) => (release = resolve))
          : Promise.resolve(busy(60_000));
      },
      waitForChanges: holdUntilAborted,
      logger: silentLogger,
      random: () => 0.5,
      backoff: { baseMs: 100, capMs: 120_000 },
    });
    loops.push(loop);
    await vi.advanceTimersByTimeAsync(0);
    loop.nudge(); // a ticket was taken while the cycle was in flight
    release(busy(60_000));
    await vi.advanceTimersByTimeAsync(0);
    expect(cycleAt).toEqual([0, 0]);
    // The second failure backs off for the Retry-After; stop() cuts it short.
    let stopped = false;
    void loop.stop().then(() => (stopped = true));
    await vi.advanceTimersByTimeAsync(0);
    expect(stopped).toBe(true);
    expect(cycleAt).toEqual([0, 0]);
  });

  it('reports every cycle, survives a listener that throws, and stops after the cycle in flight', async () => {
    const seen: CycleResult[] = [];
    const errors: object[] = [];
    const { loop, cycleAt } = scripted([offline, success], {
      wait: holdUntilAborted,
      onCycle: (r) => {
        seen.push(r);
        throw new Error('listener bug');
      },
      logger: { ...silentLogger, error: (obj) => errors.push(obj) },
    });
    await vi.advanceTimersByTimeAsync(1000);
    expect(seen).toEqual([offline, success]);
    expect(errors).toHaveLength(2);
    await loop.stop();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(cycleAt).toHaveLength(2);
  });
});
