/**
 * The PostgreSQL LISTEN/NOTIFY notifier (pg-notifier.ts) against a real throwaway cluster, with two
 * notifier instances standing for two hall nodes: a publish on one wakes the other's subscriber; a
 * restart of the server is reported, reconnected with bounded backoff, subscribers are told they may
 * have missed something, and delivery resumes; a server that is down is reported (state and failed
 * publishes), never silent; payloads are ids, and what other database clients NOTIFY in a wrong
 * shape is ignored.
 */
import pg from 'pg';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { startPostgresCluster, type PostgresCluster } from '../testing/postgres-cluster.js';
import { HALL_CHANNELS, MAX_NOTIFY_PAYLOAD_BYTES, type HallChannel } from './notifier.js';
import { createPgNotifier, type NotifierReport, type PgNotifier } from './pg-notifier.js';

let cluster: PostgresCluster;
beforeAll(async () => {
  cluster = await startPostgresCluster();
});
afterAll(async () => {
  await cluster?.destroy();
});

let open: PgNotifier[] = [];
afterEach(async () => {
  await Promise.all(open.map((n) => n.close()));
  open = [];
});

function node(
  name: string,
  reports: NotifierReport[] = [],
  o: { timeoutMs?: number; healthCheckMs?: number } = {},
): PgNotifier {
  const n = createPgNotifier({
    connectionString: cluster.url,
    clock: () => new Date(),
    report: (r) => reports.push(r),
    backoff: { initialMs: 50, maxMs: 400 },
    timeoutMs: o.timeoutMs ?? 2000,
    healthCheckMs: o.healthCheckMs ?? 0,
    nodeId: name,
  });
  open.push(n);
  return n;
}

/** Everything a subscriber receives, and a bounded wait for what it should get. */
function collect(n: PgNotifier, channel: HallChannel = HALL_CHANNELS.changes) {
  const got: (string | null)[] = [];
  n.subscribe(channel, (p) => got.push(p));
  return {
    got,
    async until(pred: (g: (string | null)[]) => boolean, ms = 5000): Promise<void> {
      const deadline = Date.now() + ms;
      while (!pred(got)) {
        if (Date.now() > deadline) throw new Error(`not received within ${ms} ms: ${JSON.stringify(got)}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
  };
}

it('a publish on one node wakes a subscriber on the other, and its own subscribers once', async () => {
  const a = node('nodeA');
  const b = node('nodeB');
  expect(await a.whenConnected(5000)).toBe(true);
  expect(await b.whenConnected(5000)).toBe(true);
  const onA = collect(a);
  const onB = collect(b);

  expect(await a.publish(HALL_CHANNELS.changes, 'kiosk-1')).toEqual({ ok: true });
  // Locally at once (synchronously), not through the database.
  expect(onA.got).toEqual(['kiosk-1']);
  await onB.until((g) => g.includes('kiosk-1'));
  expect(await b.publish(HALL_CHANNELS.changes, '*')).toEqual({ ok: true });
  await onA.until((g) => g.includes('*'));
  // The database echoes a node's own NOTIFY back to it: dropped, so nothing arrives twice.
  await new Promise((r) => setTimeout(r, 200));
  expect(onA.got).toEqual(['kiosk-1', '*']);
  expect(onB.got).toEqual(['kiosk-1', '*']);
});

it('sends ids, not data: payloads above the limit and unknown channels are refused as values', async () => {
  const a = node('nodeA');
  const onA = collect(a);
  const big = await a.publish(HALL_CHANNELS.changes, 'x'.repeat(MAX_NOTIFY_PAYLOAD_BYTES + 1));
  expect(big).toMatchObject({ ok: false, error: 'payload-too-large' });
  const unknown = await a.publish('zizhu_other' as HallChannel, 'k');
  expect(unknown).toMatchObject({ ok: false, error: 'unknown-channel' });
  expect(onA.got).toEqual([]);
});

it('ignores what other database clients NOTIFY in a wrong shape', async () => {
  const b = node('nodeB');
  expect(await b.whenConnected(5000)).toBe(true);
  const onB = collect(b);
  const raw = new pg.Client({ connectionString: cluster.url });
  await raw.connect();
  try {
    await raw.query(`SELECT pg_notify('zizhu_changes', 'no sender tag')`);
    await raw.query(`SELECT pg_notify('zizhu_changes', 'bad sender!:k')`);
    await raw.query(`SELECT pg_notify('zizhu_changes', 'someNode:kiosk-9')`);
  } finally {
    await raw.end();
  }
  await onB.until((g) => g.length > 0);
  await new Promise((r) => setTimeout(r, 100));
  expect(onB.got).toEqual(['kiosk-9']);
});

it('after the cluster restarts: the loss is reported, it reconnects, and delivery resumes', async () => {
  const reportsA: NotifierReport[] = [];
  const reportsB: NotifierReport[] = [];
  const a = node('nodeA', reportsA);
  const b = node('nodeB', reportsB);
  expect(await a.whenConnected(5000)).toBe(true);
  expect(await b.whenConnected(5000)).toBe(true);
  const onB = collect(b);

  const t0 = Date.now();
  await cluster.restart();
  const lost = (rs: NotifierReport[]) =>
    rs.some((r) => r.kind === 'state' && r.state.state === 'disconnected');
  await onB.until(() => lost(reportsB) && b.state().state === 'connected', 10_000);
  expect(await a.whenConnected(10_000)).toBe(true);
  expect(lost(reportsA)).toBe(true);
  // Subscribers were told they may have missed notifications sent while it was away.
  expect(onB.got).toContain(null);
  const reconnectMs = Date.now() - t0;

  expect(await a.publish(HALL_CHANNELS.changes, 'kiosk-after-restart')).toEqual({ ok: true });
  await onB.until((g) => g.includes('kiosk-after-restart'));
  expect(reconnectMs).toBeLessThan(10_000);
});

it('a server that is down is reported — state, bounded backoff, failed publishes — until it is back', async () => {
  const reportsA: NotifierReport[] = [];
  const a = node('nodeA', reportsA);
  const b = node('nodeB');
  expect(await a.whenConnected(5000)).toBe(true);
  expect(await b.whenConnected(5000)).toBe(true);
  const onB = collect(b);

  await cluster.stopServer();
  try {
    // Several reconnect attempts fail; the delay grows but stays within the bound.
    const deadline = Date.now() + 5000;
    while (Date.now() < deadline) {
      const s = a.state();
      if (s.state === 'disconnected' && s.attempt >= 4) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const s = a.state();
    expect(s.state).toBe('disconnected');
    if (s.state !== 'disconnected') return;
    expect(s.attempt).toBeGreaterThanOrEqual(4);
    expect(s.retryInMs).toBeLessThanOrEqual(400);
    expect(s.error.length).toBeGreaterThan(0);
    const delays = reportsA.flatMap((r) =>
      r.kind === 'state' && r.state.state === 'disconnected' ? [r.state.retryInMs] : [],
    );
    expect(delays.slice(0, 4)).toEqual([50, 100, 200, 400]);

    const failed = await a.publish(HALL_CHANNELS.changes, 'kiosk-while-down');
    expect(failed).toMatchObject({ ok: false, error: 'not-delivered' });
    expect(reportsA.some((r) => r.kind === 'publish-failed')).toBe(true);
  } finally {
    await cluster.startServer();
  }
  expect(await a.whenConnected(5000)).toBe(true);
  expect(await b.whenConnected(5000)).toBe(true);
  expect(await a.publish(HALL_CHANNELS.changes, 'kiosk-back')).toEqual({ ok: true });
  await onB.until((g) => g.includes('kiosk-back'));
});

it('notices a listening connection the server cut (terminated backend) and comes back', async () => {
  const reportsB: NotifierReport[] = [];
  const a = node('nodeA');
  const b = node('nodeB', reportsB);
  expect(await a.whenConnected(5000)).toBe(true);
  expect(await b.whenConnected(5000)).toBe(true);
  const onB = collect(b);
  expect(await cluster.cutListeners()).toBeGreaterThanOrEqual(2);
  await onB.until(() => reportsB.some((r) => r.kind === 'state' && r.state.state === 'disconnected'));
  expect(await b.whenConnected(5000)).toBe(true);
  expect(await a.whenConnected(5000)).toBe(true);
  expect(await a.publish(HALL_CHANNELS.changes, 'kiosk-2')).toEqual({ ok: true });
  await onB.until((g) => g.includes('kiosk-2'));
});

it('a listening connection that stops answering (frozen backend) fails its health check and is replaced', async () => {
  const reportsB: NotifierReport[] = [];
  const a = node('nodeA');
  const b = node('nodeB', reportsB, { timeoutMs: 500, healthCheckMs: 100 });
  expect(await a.whenConnected(5000)).toBe(true);
  expect(await b.whenConnected(5000)).toBe(true);
  const onB = collect(b);
  const admin = new pg.Client({ connectionString: cluster.url });
  await admin.connect();
  let frozen: number[] = [];
  try {
    // Every listening backend (A's too: which one is B's does not matter; A has no health check).
    const r = await admin.query<{ pid: number }>(
      `SELECT pid FROM pg_stat_activity WHERE (query LIKE 'SELECT 1%' OR query LIKE 'LISTEN%') AND pid <> pg_backend_pid()`,
    );
    frozen = r.rows.map((x) => x.pid);
    expect(frozen.length).toBeGreaterThanOrEqual(2);
    // As if the network dropped silently: the sockets stay open, nothing answers.
    for (const pid of frozen) process.kill(pid, 'SIGSTOP');
    await onB.until(
      () =>
        reportsB.some(
          (x) => x.kind === 'state' && x.state.state === 'disconnected' && /health check/.test(x.state.error),
        ),
      5000,
    );
    expect(await b.whenConnected(5000)).toBe(true);
    // A's publish goes through its pool, B listens on its new connection.
    expect(await a.publish(HALL_CHANNELS.changes, 'kiosk-3')).toEqual({ ok: true });
    await onB.until((g) => g.includes('kiosk-3'));
  } finally {
    for (const pid of frozen) process.kill(pid, 'SIGCONT');
    await admin.end();
  }
});

it('is quiet after close: closed state, nothing delivered, no reconnect', async () => {
  const a = node('nodeA');
  expect(await a.whenConnected(5000)).toBe(true);
  const onA = collect(a);
  await a.close();
  expect(a.state()).toEqual({ state: 'closed' });
  expect(await a.publish(HALL_CHANNELS.changes, 'k')).toMatchObject({ ok: false, error: 'not-delivered' });
  expect(onA.got).toEqual([]);
});
