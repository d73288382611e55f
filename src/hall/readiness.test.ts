/**
 * Readiness (readiness.ts) with stand-ins for the database and the notifier: up, refused, too slow,
 * a notifier that lost its connection, and one question a second whoever asks. Through the real
 * route on both engines: src/sync/conformance.test.ts ("keeps serving through a PostgreSQL restart")
 * and src/hall/hardening.test.ts.
 */
import { describe, expect, it } from 'vitest';
import type { NotifierState } from './notifier.js';
import { createReadiness } from './readiness.js';

const answering = (v: () => Promise<unknown>) => {
  const calls = { n: 0 };
  return {
    calls,
    sql: {
      value: <T>(): Promise<T | undefined> => {
        calls.n++;
        return v() as Promise<T | undefined>;
      },
    },
  };
};

describe('readiness', () => {
  it('is ready when the database answers and there is no notifier to lose', async () => {
    const { sql } = answering(() => Promise.resolve(1));
    expect(await createReadiness({ sql })()).toEqual({ ok: true, database: 'up', notifier: 'in-process' });
  });

  it('is not ready when the database refuses, or does not answer in time', async () => {
    const refused = answering(() => Promise.reject(new Error('connect ECONNREFUSED 10.0.0.5:5432 (secret)')));
    const r = await createReadiness({ sql: refused.sql })();
    expect(r).toEqual({ ok: false, database: 'down', notifier: 'in-process' });
    // Which part, never why: nothing of the error travels.
    expect(JSON.stringify(r)).not.toMatch(/10\.0\.0\.5|secret|ECONNREFUSED/);
    const hanging = answering(() => new Promise(() => undefined));
    expect(await createReadiness({ sql: hanging.sql, timeoutMs: 30 })()).toMatchObject({
      ok: false,
      database: 'down',
    });
  });

  it('is not ready while the cross-node notifier is disconnected, and is again once it is back', async () => {
    const { sql } = answering(() => Promise.resolve(1));
    let state: NotifierState = {
      state: 'disconnected',
      since: '2026-12-07T05:00:00.000Z',
      error: 'x',
      attempt: 2,
      retryInMs: 400,
    };
    const ready = createReadiness({ sql, notifier: { state: () => state } });
    expect(await ready()).toEqual({ ok: false, database: 'up', notifier: 'down' });
    state = { state: 'connected' };
    expect(await ready()).toEqual({ ok: true, database: 'up', notifier: 'up' });
  });

  it('asks the database at most once per cacheMs however often it is called', async () => {
    let up = true;
    const { sql, calls } = answering(() => (up ? Promise.resolve(1) : Promise.reject(new Error('down'))));
    let t = 1_000_000;
    const ready = createReadiness({ sql, cacheMs: 1_000, now: () => t });
    const answers = await Promise.all(Array.from({ length: 50 }, () => ready()));
    expect(answers.every((a) => a.ok)).toBe(true);
    expect(calls.n).toBe(1);
    up = false;
    t += 999;
    expect((await ready()).database).toBe('up');
    expect(calls.n).toBe(1);
    t += 1;
    expect((await ready()).database).toBe('down');
    expect(calls.n).toBe(2);
  });
});
