/**
 * Long-poll wake-ups across hall nodes (issue #11, item 2) through the real entry point: a hall
 * server whose notifier is PostgreSQL LISTEN/NOTIFY on a real throwaway cluster, a kiosk long-polling
 * GET /v1/wait on it, and a second notifier standing for another hall node. The other node's "kiosk
 * X changed" wakes X's long-poll (and only X's); a change made on this node is told to the other.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openDatabase, type Db } from '../backend/index.js';
import { createTransport, enrollKiosk } from '../sync/index.js';
import { startPostgresCluster, type PostgresCluster } from '../testing/postgres-cluster.js';
import { startHallServer, type HallServer } from './index.js';
import { HALL_CHANNELS } from './notifier.js';
import { createPgNotifier, type PgNotifier } from './pg-notifier.js';

const silent = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  debug: () => undefined,
};
let cluster: PostgresCluster;
let dir: string;
let hall: HallServer;
let kioskDb: Db;
let nodeA: PgNotifier;
let nodeB: PgNotifier;
let get: (path: string) => Promise<Record<string, unknown>>;
let transport: ReturnType<typeof createTransport>;
let kioskId: string;

beforeAll(async () => {
  cluster = await startPostgresCluster();
  dir = mkdtempSync(join(tmpdir(), 'zizhu-cross-node-'));
  const notifier = (nodeId: string) =>
    createPgNotifier({ connectionString: cluster.url, clock: () => new Date(), nodeId, healthCheckMs: 0 });
  nodeA = notifier('hallA');
  nodeB = notifier('hallB');
  expect(await nodeA.whenConnected(5000)).toBe(true);
  expect(await nodeB.whenConnected(5000)).toBe(true);
  hall = await startHallServer(
    { host: '127.0.0.1', port: 0, dataDir: join(dir, 'hall') },
    { silent: true, notifier: nodeA },
  );
  const opened = openDatabase(join(dir, 'kiosk.db'));
  if (!opened.ok) throw new Error(opened.message);
  kioskDb = opened.db;
  const { code } = await hall.service.createEnrollmentCode('610113');
  const e = await enrollKiosk({ db: kioskDb, hallUrl: hall.url, code, clock: () => new Date() });
  if (!e.ok) throw new Error(JSON.stringify(e.error));
  kioskId = e.enrollment.kioskId;
  const t = createTransport({
    hallUrl: hall.url,
    credentials: e.enrollment,
    clock: () => new Date(),
    logger: silent,
  });
  transport = t;
  get = async (path) => {
    const r = await t.send('GET', path);
    if (!r.ok) throw new Error(JSON.stringify(r.error));
    return r.value.body as Record<string, unknown>;
  };
});
afterAll(async () => {
  kioskDb?.close();
  await hall?.close();
  await nodeA?.close();
  await nodeB?.close();
  await cluster?.destroy();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function cursorNow(): Promise<string> {
  return String((await get('v1/changes?cursor=')).nextCursor);
}

it('another node’s notification wakes this node’s long-poll for that kiosk', async () => {
  const cursor = await cursorNow();
  const t0 = Date.now();
  const waiting = get(`v1/wait?cursor=${cursor}&timeoutMs=10000`);
  setTimeout(() => void nodeB.publish(HALL_CHANNELS.changes, kioskId), 300);
  expect(await waiting).toEqual({ changed: true });
  const ms = Date.now() - t0;
  expect(ms).toBeGreaterThanOrEqual(250);
  expect(ms).toBeLessThan(3000);
});

it('a notification for another kiosk does not wake it; one for every kiosk does', async () => {
  const cursor = await cursorNow();
  const other = get(`v1/wait?cursor=${cursor}&timeoutMs=800`);
  setTimeout(() => void nodeB.publish(HALL_CHANNELS.changes, 'some-other-kiosk'), 100);
  expect(await other).toEqual({ changed: false });

  const all = get(`v1/wait?cursor=${cursor}&timeoutMs=10000`);
  setTimeout(() => void nodeB.publish(HALL_CHANNELS.changes, '*'), 200);
  expect(await all).toEqual({ changed: true });
});

it('a change made on this node is told to the other node', async () => {
  const seen: (string | null)[] = [];
  const off = nodeB.subscribe(HALL_CHANNELS.changes, (p) => seen.push(p));
  try {
    await hall.service.appendChange({ kioskId, stream: 'holidays', key: 'x', op: 'del', data: null });
    const deadline = Date.now() + 5000;
    while (!seen.includes(kioskId) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(seen).toContain(kioskId);
    // And the long-poll on this node sees the change itself, at once.
    expect(await get(`v1/wait?cursor=0&timeoutMs=5000`)).toEqual({ changed: true });
  } finally {
    off();
  }
});

/** Polls `ok` every 20 ms for at most 5 s. */
async function until(ok: () => boolean): Promise<boolean> {
  for (let i = 0; i < 250 && !ok(); i++) await new Promise((r) => setTimeout(r, 20));
  return ok();
}

it('a long-poll the kiosk gives up is let go at once; one still waiting is woken by its own kiosk', async () => {
  const cursor = await cursorNow();
  expect(hall.service.longPollsWaiting()).toBe(0);
  const cut = new AbortController();
  const given = transport.send('GET', `v1/wait?cursor=${cursor}&timeoutMs=20000`, { signal: cut.signal });
  const kept = get(`v1/wait?cursor=${cursor}&timeoutMs=20000`);
  expect(await until(() => hall.service.longPollsWaiting() === 2)).toBe(true);
  // The kiosk's next application cuts its wait short (the sync loop's nudge): the hall lets it go
  // within the 5 s `until` allows, not when its 20 s would have run out.
  cut.abort();
  expect((await given).ok).toBe(false);
  expect(await until(() => hall.service.longPollsWaiting() === 1)).toBe(true);
  // Another kiosk's change leaves the one still waiting alone; its own wakes it.
  await nodeB.publish(HALL_CHANNELS.changes, 'some-other-kiosk');
  await new Promise((r) => setTimeout(r, 200));
  expect(hall.service.longPollsWaiting()).toBe(1);
  await nodeB.publish(HALL_CHANNELS.changes, kioskId);
  expect(await kept).toEqual({ changed: true });
  expect(hall.service.longPollsWaiting()).toBe(0);
});

it('a wait looks once and answers at once for a change, another history or a cursor it did not issue', async () => {
  const cursor = await cursorNow();
  // Nothing after an issued cursor: it waits its time out.
  expect(await get(`v1/wait?cursor=${cursor}&timeoutMs=300`)).toEqual({ changed: false });
  // A change after it: answered at once (the look made with the cursor's epoch).
  await hall.service.appendChange({ kioskId, stream: 'holidays', key: 'y', op: 'del', data: null });
  const t0 = Date.now();
  expect(await get(`v1/wait?cursor=${cursor}&timeoutMs=10000`)).toEqual({ changed: true });
  expect(Date.now() - t0).toBeLessThan(5000);
  const latest = await cursorNow();
  // A tag the hall did not make is not trusted: read from the start of the log (changes are there).
  const forged = latest.replace(
    /\.([0-9a-f]{16})$/,
    (_, tag: string) => `.${tag.startsWith('0') ? '1' : '0'}${tag.slice(1)}`,
  );
  expect(forged).not.toBe(latest);
  expect(await get(`v1/wait?cursor=${forged}&timeoutMs=10000`)).toEqual({ changed: true });
  expect(await get(`v1/wait?cursor=${latest}&timeoutMs=300`)).toEqual({ changed: false });
  // Another history (a new epoch, as after a restore): answered at once, the pull then refetches.
  await hall.service.startEpoch('operator');
  expect(await get(`v1/wait?cursor=${latest}&timeoutMs=10000`)).toEqual({ changed: true });
});
