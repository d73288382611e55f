import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../backend/index.js';
import { err, ok } from '../shared/result.js';
import { createCycle } from './cycle.js';
import type { SyncError, Synced } from './sync-error.js';
import { issueTicket, seedCatalogRow } from './testing/kiosk-fixture.js';

let root: string;
let db: Db;
let now: number;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'zizhu-cycle-'));
  const opened = openDatabase(join(root, 'kiosk.db'));
  if (!opened.ok) throw new Error(opened.message);
  db = opened.db;
  seedCatalogRow(db);
  now = Date.parse('2026-03-02T08:00:00Z');
});
afterEach(() => {
  db.close();
  rmSync(root, { recursive: true, force: true });
});

/** A cycle whose push fails with the scripted errors (then succeeds); heartbeats are recorded. */
function cycleWith(pushErrors: SyncError[]) {
  const heartbeats: number[] = [];
  let pushes = 0;
  const cycle = createCycle({
    db,
    clock: () => new Date(now),
    push: (): Promise<Synced<number>> => {
      const e = pushErrors[pushes++];
      return Promise.resolve(e ? err(e) : ok(0));
    },
    pull: () => Promise.resolve(ok(2)),
    heartbeat: (backlog) => {
      heartbeats.push(backlog);
      return Promise.resolve();
    },
  });
  return { cycle, heartbeats, pushes: () => pushes };
}

describe('one cycle', () => {
  it('records the outcome: only an unreachable or failing hall makes the kiosk offline', async () => {
    issueTicket(db, 't-1', 'A901');
    const { cycle, heartbeats } = cycleWith([
      { kind: 'network', message: 'POST /v1/push: ECONNREFUSED' },
      { kind: 'http', status: 401, error: 'bad-signature', message: 'no', retryAfterMs: 0 },
      { kind: 'http', status: 503, error: 'unavailable', message: 'later', retryAfterMs: 0 },
    ]);
    expect(cycle.networkStatus()).toEqual({ state: 'offline', since: null, lastError: null, backlog: 1 });
    expect(await cycle.runOnce()).toMatchObject({ ok: false, error: { kind: 'network' }, backlog: 1 });
    expect(cycle.status()).toMatchObject({
      online: false,
      lastError: 'network: POST /v1/push: ECONNREFUSED',
    });
    // A refusal means the hall is reachable.
    now += 1000;
    await cycle.runOnce();
    expect(cycle.status()).toMatchObject({ online: true, lastSuccessAt: null });
    now += 1000;
    await cycle.runOnce();
    expect(cycle.status().online).toBe(false);
    expect(heartbeats).toEqual([]);
    now += 1000;
    expect(await cycle.runOnce()).toEqual({ ok: true, pushed: 0, pulled: 2, backlog: 1 });
    // The heartbeat follows a successful cycle, with the backlog it leaves.
    expect(heartbeats).toEqual([1]);
    expect(cycle.status()).toEqual({
      backlog: 1,
      lastSuccessAt: new Date(now).toISOString(),
      // A success clears the error of the failures before it.
      lastError: null,
      lastErrorAt: null,
      online: true,
    });
    expect(cycle.networkStatus()).toEqual({
      state: 'online',
      lastSuccessAt: new Date(now).toISOString(),
      backlog: 1,
    });
  });

  it('shares the cycle in flight between concurrent callers', async () => {
    const { cycle, pushes } = cycleWith([]);
    const [a, b] = await Promise.all([cycle.runOnce(), cycle.runOnce()]);
    expect(a).toBe(b);
    expect(pushes()).toBe(1);
    await cycle.runOnce();
    expect(pushes()).toBe(2);
  });
});
