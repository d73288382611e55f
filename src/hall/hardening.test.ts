/**
 * The hall as an Internet-facing service (issue 13, part 6; docs/security.md): each finding of the
 * attack run reproduced against the real server over loopback — slow-body connections held open,
 * unsigned 16 MiB bodies read before being refused, unfinished uploads kept forever and without a
 * quota, unthrottled enrolment and staff sign-in attempts, nothing logged, no `nosniff`, staff tokens
 * that never expire and cannot be revoked. Timeouts are configured small; every wait is bounded.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync, utimesSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SCHEMA_VERSION } from '../shared/wire/index.js';
import { enrolRequest, enrolWithService } from './testing/enrol.js';
import { buildCli } from '../cli/main.js';
import type { HallConfig } from './config.js';
import { loadHallConfig } from './config.js';
import { DEFAULT_HALL_LIMITS, openFilesLimit, openFilesWarning, type HallLimits } from './limits.js';
import { startHallServer, type HallServer } from './server.js';

const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

let dir: string;
let now: number;
let hall: HallServer | null = null;
let logLines: Record<string, unknown>[];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'zizhu-hall-hard-'));
  now = Date.parse('2026-03-02T08:00:00Z');
  logLines = [];
});
afterEach(async () => {
  await hall?.close();
  hall = null;
  rmSync(dir, { recursive: true, force: true });
});

const captureLogger = () =>
  pino(
    { level: 'info' },
    new Writable({
      write(chunk: Buffer, _enc, done) {
        for (const line of chunk.toString('utf8').split('\n'))
          if (line.trim()) logLines.push(JSON.parse(line) as Record<string, unknown>);
        done();
      },
    }),
  );

async function start(limits: Partial<HallLimits> = {}, opts: { partialSweepEveryMs?: number } = {}) {
  const config: HallConfig = {
    host: '127.0.0.1',
    port: 0,
    dataDir: dir,
    limits: {
      ...limits,
      ...(opts.partialSweepEveryMs ? { partialSweepEveryMs: opts.partialSweepEveryMs } : {}),
    },
  };
  hall = await startHallServer(config, { silent: true, clock: () => new Date(now), logger: captureLogger() });
  return hall;
}

type Kiosk = { kioskId: string; secret: string };
async function enrolled(h: HallServer): Promise<Kiosk> {
  return await enrolWithService(h.service, '610113');
}

function signedHeaders(k: Kiosk, method: string, path: string, body: Buffer): Record<string, string> {
  const ts = String(now);
  const nonce = randomBytes(16).toString('hex');
  const sig = createHmac('sha256', k.secret)
    .update(`${method}\n${path}\n${ts}\n${nonce}\n${sha(body)}`)
    .digest('hex');
  return {
    'x-zizhu-kiosk-id': k.kioskId,
    'x-zizhu-timestamp': ts,
    'x-zizhu-nonce': nonce,
    'x-zizhu-schema-version': String(SCHEMA_VERSION),
    'x-zizhu-signature': sig,
  };
}

async function signedCall(h: HallServer, k: Kiosk, method: string, path: string, body?: Buffer, extra = {}) {
  const bytes = body ?? Buffer.alloc(0);
  const res = await fetch(new URL(path.slice(1), h.url), {
    method,
    headers: { ...signedHeaders(k, method, path, bytes), ...extra },
    ...(body ? { body: new Uint8Array(body) } : {}),
  });
  const text = method === 'HEAD' ? '' : await res.text();
  return { status: res.status, headers: res.headers, body: (text ? JSON.parse(text) : null) as unknown };
}

/** A raw connection: what the hall answers and when it closes, measured from the client side. */
function rawConnection(port: number) {
  const socket: Socket = connect(port, '127.0.0.1');
  let received = '';
  let closedAt: number | null = null;
  socket.on('data', (d: Buffer) => (received += d.toString('latin1')));
  socket.on('error', () => undefined);
  socket.on('close', () => (closedAt = Date.now()));
  return {
    socket,
    received: () => received,
    closedAt: () => closedAt,
    connected: new Promise<void>((resolve) => socket.once('connect', () => resolve())),
  };
}

async function until(cond: () => boolean, ms: number): Promise<boolean> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > ms) return false;
    await new Promise((r) => setTimeout(r, 20));
  }
  return true;
}

const requestHead = (method: string, path: string, headers: Record<string, string>) =>
  `${method} ${path} HTTP/1.1\r\nhost: 127.0.0.1\r\n${Object.entries(headers)
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('')}\r\n`;

describe('the hall as an Internet-facing service', () => {
  it('closes slow-body connections at the request timeout and caps connections', async () => {
    const h = await start({
      requestTimeoutMs: 800,
      headersTimeoutMs: 400,
      keepAliveTimeoutMs: 400,
      connectionsCheckingIntervalMs: 100,
      maxConnections: 12,
    });
    const k = await enrolled(h);
    const head = requestHead('POST', '/v1/push', {
      ...signedHeaders(k, 'POST', '/v1/push', Buffer.alloc(0)),
      'content-type': 'application/json',
      'content-length': '100000',
    });
    // The finding: 150 such connections stayed open for 330 s. Here 20 try; 12 are let in.
    const conns = Array.from({ length: 20 }, () => rawConnection(h.port));
    await Promise.all(
      conns.map((c) => Promise.race([c.connected, until(() => c.closedAt() !== null, 2000)])),
    );
    const t0 = Date.now();
    for (const c of conns) c.socket.write(head);
    const drip = setInterval(() => {
      for (const c of conns) if (c.closedAt() === null) c.socket.write('[');
    }, 100);
    try {
      expect(await until(() => conns.every((c) => c.closedAt() !== null), 5000)).toBe(true);
    } finally {
      clearInterval(drip);
    }
    const lastClose = Math.max(...conns.map((c) => c.closedAt() ?? Infinity));
    expect(lastClose - t0).toBeLessThan(3000);
    // Those let in were answered 408 by the request timeout; those over the cap were dropped unanswered.
    const timedOut = conns.filter((c) => c.received().startsWith('HTTP/1.1 408'));
    expect(timedOut.length).toBeGreaterThan(0);
    expect(timedOut.length).toBeLessThanOrEqual(12);
    expect(conns.filter((c) => c.received() === '').length).toBeGreaterThanOrEqual(8);
    // The hall still answers afterwards.
    expect((await fetch(new URL('healthz', h.url))).status).toBe(200);
  });

  it('refuses an unsigned 16 MiB body from its headers, before reading it', async () => {
    const h = await start();
    const k = await enrolled(h);
    const cases: { headers: Record<string, string>; status: string; error: string }[] = [
      {
        headers: { 'x-zizhu-schema-version': String(SCHEMA_VERSION) },
        status: '401',
        error: 'unauthenticated',
      },
      {
        headers: { ...signedHeaders(k, 'POST', '/v1/push', Buffer.alloc(0)), 'x-zizhu-kiosk-id': 'K-nobody' },
        status: '401',
        error: 'unknown-kiosk',
      },
      // The documented order (docs/sync-protocol.md 1, steps 2–4): the headers' form and the
      // timestamp's freshness are judged before the kiosk id is looked up.
      {
        headers: {
          ...signedHeaders(k, 'POST', '/v1/push', Buffer.alloc(0)),
          'x-zizhu-kiosk-id': 'K-nobody',
          'x-zizhu-timestamp': String(now - 6 * 60_000),
        },
        status: '401',
        error: 'stale-timestamp',
      },
      {
        headers: {
          ...signedHeaders(k, 'POST', '/v1/push', Buffer.alloc(0)),
          'x-zizhu-kiosk-id': 'K-nobody',
          'x-zizhu-nonce': 'short',
        },
        status: '401',
        error: 'bad-nonce',
      },
      {
        headers: {
          ...signedHeaders(k, 'POST', '/v1/push', Buffer.alloc(0)),
          'x-zizhu-timestamp': String(now + 6 * 60_000),
        },
        status: '401',
        error: 'stale-timestamp',
      },
      // A known kiosk, but more than a push may carry: 413 from Content-Length alone.
      { headers: signedHeaders(k, 'POST', '/v1/push', Buffer.alloc(0)), status: '413', error: 'too-large' },
    ];
    for (const c of cases) {
      const conn = rawConnection(h.port);
      await conn.connected;
      conn.socket.write(
        requestHead('POST', '/v1/push', {
          ...c.headers,
          'content-type': 'application/json',
          'content-length': String(16 * 1024 * 1024),
        }),
      );
      // Not one byte of the body is sent: the answer comes anyway, and the connection closes.
      expect(await until(() => conn.closedAt() !== null, 3000)).toBe(true);
      expect(conn.received()).toMatch(new RegExp(`^HTTP/1\\.1 ${c.status} `));
      expect(conn.received()).toContain(`"error":"${c.error}"`);
      expect(conn.received().toLowerCase()).toContain('x-content-type-options: nosniff');
    }
    // A chunked body (no Content-Length) over a route's limit is cut off while it streams.
    const big = Buffer.alloc(200 * 1024, 0x20);
    const r = await fetch(new URL('v1/heartbeat', h.url), {
      method: 'POST',
      headers: { ...signedHeaders(k, 'POST', '/v1/heartbeat', big), 'content-type': 'application/json' },
      body: new ReadableStream({
        start(ctl) {
          ctl.enqueue(new Uint8Array(big));
          ctl.close();
        },
      }),
      duplex: 'half',
    } as RequestInit);
    expect(r.status).toBe(413);
    expect(await r.json()).toMatchObject({ error: 'too-large' });
    expect(
      logLines.some((l) => l.msg === 'hall: kiosk signature refused' && l.error === 'unknown-kiosk'),
    ).toBe(true);
  });

  it('keeps each kiosk’s unfinished uploads apart, under a quota, and sweeps them after their age', async () => {
    const h = await start(
      { partialQuotaBytes: 1000, partialMaxAgeMs: 24 * 3600_000 },
      { partialSweepEveryMs: 50 },
    );
    const a = await enrolled(h);
    const b = await enrolled(h);
    const first = randomBytes(2000);
    const second = randomBytes(2000);
    const put = (k: Kiosk, blob: Buffer, offset: number, chunk: Buffer) =>
      signedCall(h, k, 'PUT', `/v1/blobs/${sha(blob)}`, chunk, {
        'content-type': 'application/octet-stream',
        'x-zizhu-blob-offset': String(offset),
        'x-zizhu-blob-size': String(blob.length),
      });
    expect((await put(a, first, 0, first.subarray(0, 600))).status).toBe(202);
    // 600 held + 600 more > 1000: refused before anything is written.
    const over = await put(a, second, 0, second.subarray(0, 600));
    expect(over.status).toBe(507);
    expect(over.body).toMatchObject({ error: 'quota-exceeded', held: 600, quota: 1000 });
    // Another kiosk has its own quota, and sees none of a's partial upload.
    const headB = await signedCall(h, b, 'HEAD', `/v1/blobs/${sha(first)}`);
    expect(headB.headers.get('x-zizhu-blob-offset')).toBe('0');
    expect((await put(b, second, 0, second.subarray(0, 600))).status).toBe(202);
    const partials = join(dir, 'blobs', '.partial');
    expect(readdirSync(partials).sort()).toEqual([a.kioskId, b.kioskId].sort());

    // Untouched for more than 24 h: the periodic sweep removes them, and the quota is free again.
    const old = (now - 25 * 3600_000) / 1000;
    utimesSync(join(partials, a.kioskId, sha(first)), old, old);
    expect(await until(() => !existsSync(join(partials, a.kioskId)), 3000)).toBe(true);
    expect(existsSync(join(partials, b.kioskId, sha(second)))).toBe(true);
    expect((await put(a, second, 0, second.subarray(0, 600))).status).toBe(202);

    // Left by a stopped hall: swept at start.
    await h.close();
    hall = null;
    utimesSync(join(partials, b.kioskId, sha(second)), old, old);
    await start();
    expect(existsSync(join(partials, b.kioskId))).toBe(false);
    expect(existsSync(join(partials, a.kioskId, sha(second)))).toBe(true);
  });

  it('throttles failed enrolments and staff sign-ins per address, and logs them', async () => {
    const h = await start({ maxFailedAttempts: 3, attemptWindowMs: 60_000 });
    const enroll = (code: string) =>
      fetch(new URL('v1/enroll', h.url), {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-zizhu-schema-version': String(SCHEMA_VERSION) },
        body: JSON.stringify(enrolRequest(code).request),
      });
    for (let i = 0; i < 3; i++) expect((await enroll(`WRONGCODE00${i}`)).status).toBe(403);
    const { code } = await h.service.createEnrollmentCode('610113');
    const throttled = await enroll(code);
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get('retry-after')).toBe('60');
    expect(await throttled.json()).toMatchObject({ error: 'rate-limited' });
    now += 61_000;
    expect((await enroll(code)).status).toBe(200);

    const token = await h.staff.createToken('王五', '610113');
    const me = (t: string) =>
      fetch(new URL('v1/staff/me', h.url), { headers: { authorization: `Bearer ${t}` } });
    for (let i = 0; i < 3; i++) expect((await me(randomBytes(32).toString('base64url'))).status).toBe(401);
    expect((await me(token)).status).toBe(429);
    now += 61_000;
    expect((await me(token)).status).toBe(200);

    const msgs = logLines.map((l) => l.msg);
    expect(msgs.filter((m) => m === 'hall: enrolment refused')).toHaveLength(3);
    expect(msgs.filter((m) => m === 'hall: staff sign-in refused')).toHaveLength(3);
    expect(msgs).toContain('hall: enroll attempts throttled');
    expect(msgs).toContain('hall: staff attempts throttled');
    // Addresses and codes, never the token or the code typed.
    expect(JSON.stringify(logLines)).not.toContain(token);
    expect(JSON.stringify(logLines)).not.toContain('WRONGCODE');
  });

  it('answers /readyz for the database and the notifier, unauthenticated and without details', async () => {
    const h = await start();
    const r = await fetch(new URL('readyz', h.url));
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({ ok: true, database: 'up', notifier: 'in-process' });
  });

  it('sends nosniff on every API answer', async () => {
    const h = await start();
    for (const path of ['healthz', 'readyz', 'v1/info', 'v1/no-such-route', 'v1/staff/me', 'v1/changes']) {
      const r = await fetch(new URL(path, h.url));
      expect([path, r.headers.get('x-content-type-options')]).toEqual([path, 'nosniff']);
    }
  });

  it('expires staff tokens, and lists and revokes them from the CLI', async () => {
    const h = await start({ staffTokenHours: 12 });
    const me = (t: string) =>
      fetch(new URL('v1/staff/me', h.url), { headers: { authorization: `Bearer ${t}` } });
    const early = await h.staff.createToken('李四', '610113');
    expect((await me(early)).status).toBe(200);
    now += 12 * 3600_000 + 1000;
    expect((await me(early)).status).toBe(401);

    // Tokens from the CLI use the real clock: the server's clock follows it from here.
    now = Date.now();
    const out: string[] = [];
    const err: string[] = [];
    const cli = () =>
      buildCli(
        { out: (l) => out.push(l), err: (l) => err.push(l) },
        { HALL_DATA_DIR: dir, HALL_STAFF_TOKEN_HOURS: '12' },
      );
    const token = await h.staff.createToken('赵六', '610114');
    expect((await me(token)).status).toBe(200);
    expect(await cli().run(['hall', 'staff', 'list', '--json'])).toBe(0);
    const listed = (
      JSON.parse(out.at(-1) ?? '{}') as { tokens: { id: string; name: string; state: string }[] }
    ).tokens;
    expect(listed.map((t) => [t.name, t.state])).toEqual([
      ['李四', 'expired'],
      ['赵六', 'active'],
    ]);
    expect(JSON.stringify(listed)).not.toContain(token);
    const id = listed[1]?.id ?? '';
    expect(id).toBe(sha(token).slice(0, 12));
    expect(await cli().run(['hall', 'staff', 'revoke', id])).toBe(0);
    expect((await me(token)).status).toBe(401);
    expect(await cli().run(['hall', 'staff', 'revoke', id])).toBe(1);
    expect(err.at(-1)).toMatch(/already revoked/);
    expect(await cli().run(['hall', 'staff', 'revoke', 'nope'])).toBe(1);
    expect(await cli().run(['hall', 'staff', 'list'])).toBe(0);
    expect(out.at(-1)).toMatch(new RegExp(`^${id}  revoked  610114  赵六`));
  });

  it('knows its open-files limit and when it is too low for its connection cap', () => {
    const limits = (soft: string) =>
      `Limit                     Soft Limit           Hard Limit           Units\nMax processes             63658                63658                processes\nMax open files            ${soft}                 524288               files\n`;
    expect(openFilesLimit(limits('1024'))).toBe(1024);
    expect(openFilesLimit(limits('unlimited'))).toBe(Number.POSITIVE_INFINITY);
    expect(openFilesLimit('nothing here')).toBeNull();
    // This process, on Linux: a positive number.
    expect(openFilesLimit()).toBeGreaterThan(0);
    expect(DEFAULT_HALL_LIMITS.maxConnections).toBe(4096);
    expect(openFilesWarning(4096, 1024)).toMatch(/may open 1024 files, but HALL_MAX_CONNECTIONS is 4096/);
    expect(openFilesWarning(4096, 4096 + 256)).toBeNull();
    expect(openFilesWarning(4096, 4096 + 255)).not.toBeNull();
    expect(openFilesWarning(4096, null)).toBeNull();
  });

  it('reads the limits from the environment and refuses bad values', () => {
    expect(
      loadHallConfig({
        HOME: '/h',
        HALL_REQUEST_TIMEOUT_MS: '5000',
        HALL_PARTIAL_QUOTA_MB: '2',
        HALL_STAFF_TOKEN_HOURS: '8',
      }),
    ).toMatchObject({
      ok: true,
      config: { limits: { requestTimeoutMs: 5000, partialQuotaBytes: 2 * 1024 * 1024, staffTokenHours: 8 } },
    });
    expect(loadHallConfig({ HALL_MAX_CONNECTIONS: '0' })).toMatchObject({ ok: false });
    expect(loadHallConfig({ HALL_STAFF_TOKEN_HOURS: '1.5' })).toMatchObject({ ok: false });
  });
});
