/**
 * The hall notifier across nodes (notifier.ts) over PostgreSQL LISTEN/NOTIFY (issue #11, item 2;
 * docs/deployment.md, "PostgreSQL for the notifier").
 *
 * - One dedicated listening connection per node, LISTENing on every hall channel. When it is lost
 *   (server restart, terminated backend, a health check without answer) the loss is reported at once
 *   (`report`), it reconnects with bounded exponential backoff, and on reconnecting every subscriber
 *   gets `null` — "you may have missed something" — since NOTIFYs sent meanwhile are gone for good.
 * - Publishing goes through a small separate pool, so a publish does not wait behind the listener's
 *   reconnect. The payload is `<node id>:<payload>`: this node's own notifications come back to it
 *   over LISTEN too, and are dropped there because publish already delivered them locally.
 * - Payloads are ids (≤ MAX_NOTIFY_PAYLOAD_BYTES, far under PostgreSQL's 8000 bytes): the receiver
 *   reads the data from the store.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { z } from 'zod';
import {
  ALL_HALL_CHANNELS,
  checkPayload,
  createLocalFanout,
  type HallChannel,
  type HallNotifier,
  type NotifierState,
  type PublishResult,
} from './notifier.js';
import { pgListen, pgNotify, pgPing } from './store/index.js';

export type NotifierReport =
  { kind: 'state'; state: NotifierState } | { kind: 'publish-failed'; channel: HallChannel; error: string };

export type PgNotifierDeps = {
  /** postgres://… of the database every node shares. */
  connectionString: string;
  clock: () => Date;
  /** Told of every state change (connected, lost, closed) and every failed publish: log it. */
  report?: (r: NotifierReport) => void;
  /** First retry after this, doubling up to maxMs (default 100 ms → 5 s). */
  backoff?: { initialMs: number; maxMs: number };
  /** Bound on connecting and on each query (default 5 s). */
  timeoutMs?: number;
  /** How often the listening connection is checked with a query (default 10 s; 0 = never). */
  healthCheckMs?: number;
  /** This node's tag in payloads (default random). */
  nodeId?: string;
};

/** What a notification from the database must look like (it is outside input: any client may NOTIFY). */
const wirePayload = z.string().regex(/^([A-Za-z0-9_-]{1,32}):([\s\S]*)$/);

export type PgNotifier = HallNotifier & {
  /** Resolves true once the listening connection is up (false after timeoutMs). */
  whenConnected(timeoutMs: number): Promise<boolean>;
  nodeId: string;
};

export function createPgNotifier(deps: PgNotifierDeps): PgNotifier {
  const nodeId = deps.nodeId ?? randomBytes(6).toString('base64url');
  const timeoutMs = deps.timeoutMs ?? 5000;
  const backoff = deps.backoff ?? { initialMs: 100, maxMs: 5000 };
  const healthCheckMs = deps.healthCheckMs ?? 10_000;
  const local = createLocalFanout();
  const report = (r: NotifierReport) => {
    try {
      deps.report?.(r);
    } catch {
      // A reporting bug must not break the wake-ups.
    }
  };

  const pool = new pg.Pool({
    connectionString: deps.connectionString,
    max: 2,
    connectionTimeoutMillis: timeoutMs,
    query_timeout: timeoutMs,
    idleTimeoutMillis: 30_000,
  });
  // An idle pooled connection cut by the server: the pool drops it; the next publish opens another.
  pool.on('error', () => undefined);

  let current: NotifierState = {
    state: 'disconnected',
    since: deps.clock().toISOString(),
    error: 'not connected yet',
    attempt: 0,
    retryInMs: 0,
  };
  let closed = false;
  let everConnected = false;
  let listener: pg.Client | null = null;
  let retryTimer: NodeJS.Timeout | null = null;
  let healthTimer: NodeJS.Timeout | null = null;
  let attempt = 0;
  const connectedWaiters = new Set<() => void>();

  const setState = (s: NotifierState) => {
    current = s;
    report({ kind: 'state', state: s });
    if (s.state === 'connected') for (const w of [...connectedWaiters]) w();
  };

  const onNotification = (m: pg.Notification) => {
    const channel = ALL_HALL_CHANNELS.find((c) => c === m.channel);
    const parsed = wirePayload.safeParse(m.payload ?? '');
    if (channel === undefined || !parsed.success) return;
    const sep = parsed.data.indexOf(':');
    if (parsed.data.slice(0, sep) === nodeId) return;
    local.deliver(channel, parsed.data.slice(sep + 1));
  };

  /** The connection went away (or never came): report, and try again after the next backoff step. */
  const lost = (client: pg.Client | null, error: string) => {
    if (client !== null && client !== listener) return; // an old connection's late event
    if (closed) return;
    listener = null;
    if (healthTimer) clearInterval(healthTimer);
    healthTimer = null;
    if (client) {
      client.removeAllListeners('notification');
      client.on('error', () => undefined);
      void client.end().catch(() => undefined);
    }
    attempt++;
    const retryInMs = Math.min(backoff.maxMs, backoff.initialMs * 2 ** Math.min(attempt - 1, 20));
    const since = current.state === 'disconnected' ? current.since : deps.clock().toISOString();
    setState({ state: 'disconnected', since, error, attempt, retryInMs });
    retryTimer = setTimeout(() => {
      retryTimer = null;
      void connect();
    }, retryInMs);
    retryTimer.unref();
  };

  async function connect(): Promise<void> {
    if (closed) return;
    const client = new pg.Client({
      connectionString: deps.connectionString,
      connectionTimeoutMillis: timeoutMs,
      query_timeout: timeoutMs,
      keepAlive: true,
    });
    listener = client;
    client.on('error', (e: Error) => lost(client, e.message));
    client.on('end', () => lost(client, 'connection closed'));
    client.on('notification', onNotification);
    try {
      await client.connect();
      for (const c of ALL_HALL_CHANNELS) await pgListen(client, c);
    } catch (e) {
      lost(client, (e as Error).message);
      return;
    }
    if (closed || listener !== client) return;
    attempt = 0;
    setState({ state: 'connected' });
    // Whatever was notified while we were away is lost: every subscriber re-checks.
    if (everConnected) local.deliverAll(null);
    everConnected = true;
    if (healthCheckMs > 0) {
      // A half-open TCP connection tells nothing by itself: ask, bounded by query_timeout.
      healthTimer = setInterval(() => {
        pgPing(client).catch((e: unknown) => lost(client, `health check: ${(e as Error).message}`));
      }, healthCheckMs);
      healthTimer.unref();
    }
  }
  void connect();

  return {
    nodeId,
    async publish(channel, payload): Promise<PublishResult> {
      const checked = checkPayload(channel, payload);
      if (!checked.ok) return checked;
      if (closed) return { ok: false, error: 'not-delivered', message: 'the notifier is closed' };
      local.deliver(channel, payload);
      try {
        await pgNotify(pool, channel, `${nodeId}:${payload}`);
        return { ok: true };
      } catch (e) {
        const message = (e as Error).message;
        report({ kind: 'publish-failed', channel, error: message });
        return { ok: false, error: 'not-delivered', message };
      }
    },
    subscribe: (channel, l) => local.subscribe(channel, l),
    state: () => current,
    whenConnected(waitMs) {
      if (current.state === 'connected') return Promise.resolve(true);
      return new Promise((resolve) => {
        const done = (v: boolean) => {
          clearTimeout(timer);
          connectedWaiters.delete(onConnected);
          resolve(v);
        };
        const onConnected = () => done(true);
        const timer = setTimeout(() => done(false), waitMs);
        connectedWaiters.add(onConnected);
      });
    },
    async close() {
      if (closed) return;
      closed = true;
      if (retryTimer) clearTimeout(retryTimer);
      if (healthTimer) clearInterval(healthTimer);
      const client = listener;
      listener = null;
      local.clear();
      setState({ state: 'closed' });
      await Promise.allSettled([client?.end(), pool.end()]);
    },
  };
}
