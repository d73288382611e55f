/**
 * A long-poll whose wake-up was lost (the notifier's connection dropped while another node committed
 * a change) is not left waiting for 25 s: on "you may have missed something" (a `null`
 * notification, sent on reconnect) GET /v1/wait re-checks the store, and answers only if there
 * really is a change for that kiosk. Through the real HTTP entry point, with a notifier that drops
 * every publish, as one whose connection is down does.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openDatabase, type Db } from '../backend/index.js';
import { createTransport, enrollKiosk } from '../sync/index.js';
import { startHallServer, type HallServer } from './index.js';
import { createLocalFanout, type HallNotifier } from './notifier.js';

const silent = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  debug: () => undefined,
};
let dir: string;
let hall: HallServer;
let kioskDb: Db;
let kioskId: string;
let get: (path: string) => Promise<Record<string, unknown>>;
const local = createLocalFanout();
/** Publishes reach nobody (a dropped connection); the test plays the reconnect's `null`. */
const lossy: HallNotifier = {
  publish: () => Promise.resolve({ ok: false, error: 'not-delivered', message: 'connection lost' }),
  subscribe: (channel, listener) => local.subscribe(channel, listener),
  state: () => ({
    state: 'disconnected',
    since: new Date().toISOString(),
    error: 'down',
    attempt: 1,
    retryInMs: 100,
  }),
  close: () => Promise.resolve(),
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'zizhu-wake-missed-'));
  hall = await startHallServer(
    { host: '127.0.0.1', port: 0, dataDir: join(dir, 'hall') },
    { silent: true, notifier: lossy },
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
  get = async (path) => {
    const r = await t.send('GET', path);
    if (!r.ok) throw new Error(JSON.stringify(r.error));
    return r.value.body as Record<string, unknown>;
  };
});
afterAll(async () => {
  kioskDb?.close();
  await hall?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

it('re-checks the store on a possibly-missed notification, and answers only for a real change', async () => {
  const cursor = String((await get('v1/changes?cursor=')).nextCursor);

  // Nothing changed: a `null` makes it look, find nothing, and keep waiting to its timeout.
  const idle = get(`v1/wait?cursor=${cursor}&timeoutMs=700`);
  setTimeout(() => local.deliver('zizhu_changes', null), 150);
  expect(await idle).toEqual({ changed: false });

  // A change committed while the wake-up was lost: the long-poll sleeps on …
  const waiting = get(`v1/wait?cursor=${cursor}&timeoutMs=10000`);
  let answered = false;
  void waiting.then(() => (answered = true));
  await new Promise((r) => setTimeout(r, 150));
  await hall.service.appendChange({ kioskId, stream: 'holidays', key: 'x', op: 'del', data: null });
  await new Promise((r) => setTimeout(r, 300));
  expect(answered).toBe(false);
  // … until the reconnect's `null`: then it finds the change and answers at once.
  const t0 = Date.now();
  local.deliver('zizhu_changes', null);
  expect(await waiting).toEqual({ changed: true });
  expect(Date.now() - t0).toBeLessThan(1000);
});
