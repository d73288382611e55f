import { request } from 'node:http';
import { createHelpCallService } from './services/help-call.js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTRPCClient, httpLink, TRPCClientError } from '@trpc/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadKioskConfig } from './config.js';
import { createCaseStatusFeed, createEventBus } from './events.js';
import { createLogger } from './logger.js';
import type { AppRouter } from './rpc/router.js';
import { createServer, judgeRequest, TOKEN_COOKIE } from './server.js';
import { createCatalogService, replaceCatalog } from './services/catalog.js';
import { fixtureCatalog } from './services/catalog-fixture.js';
import { createStatusService } from './services/status.js';
import { createDeviceConsole } from './services/device-console.js';
import { createQueueService } from './services/queue.js';
import { createTechnicianAuth } from './services/technician.js';
import { createResidentServices, loadSeedCalendar } from './services/resident.js';
import { loadSeedEvaluationItems } from './services/evaluations.js';
import { resourcesDir } from './paths.js';
import { createDeviceManager } from '../devices/index.js';
import { openDatabase, type Db } from './store/db.js';
import { seedCalendar, seedHours } from './testing/hours.js';

type Res = { status: number; headers: Record<string, string | string[] | undefined>; body: string };

function raw(port: number, path: string, headers: Record<string, string>, method = 'GET'): Promise<Res> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, headers, setHost: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

let dir: string;
let db: Db;
let app: Awaited<ReturnType<typeof createServer>>['app'];
let port: number;
let host: string;
const TOKEN = 'test-token-0123456789';
const bus = createEventBus();
let status: ReturnType<typeof createStatusService>;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'zizhu-srv-'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>kiosk</title>');
  const opened = openDatabase(join(dir, 'k.db'));
  if (!opened.ok) throw new Error(opened.message);
  db = opened.db;
  const now = () => new Date('2026-11-26T08:00:00Z');
  replaceCatalog(db, fixtureCatalog(), 'seed', now());
  const cfg = loadKioskConfig({
    argv: [],
    env: { KIOSK_DATA_DIR: dir, KIOSK_PRINTER: 'tcp://127.0.0.1:9100', KIOSK_SCANNER: 'none' },
  });
  if (!cfg.ok) throw new Error(cfg.error);
  const logger = createLogger('silent');
  status = createStatusService({ config: cfg.config, bus, clock: now, catalogVersion: () => 'test-1' });
  const devices = createDeviceManager({
    uris: { idcard: 'none', printer: 'none', ticketPrinter: 'none', scanner: 'none', codeReader: 'none' },
    mode: 'development',
    logger,
  });
  const queue = createQueueService({
    db,
    clock: now,
    logger,
    config: {
      offlineRangeStart: 900,
      offlineRangeEnd: 999,
      timeZone: 'Asia/Shanghai',
      progressUrl: 'https://hall.example/zwfw',
    },
    hallName: () => ({ zh: '中心', en: 'Centre' }),
    ticketPrinter: () => null,
    hours: seedHours,
    calendar: seedCalendar,
  });
  const server = await createServer({
    context: {
      catalog: createCatalogService(db),
      status,
      bus,
      logger,
      clock: now,
      version: '9.9.9',
      mode: 'development',
      devices,
      queue,
      tech: createTechnicianAuth({ db, clock: now, mode: 'development' }),
      sync: null,
      deviceConsole: createDeviceConsole({
        db,
        devices,
        queue,
        logger,
        clock: now,
        dataDir: dir,
        mode: 'development',
        kioskName: 'k',
      }),
      help: createHelpCallService({
        config: () => ({ hotline: null, hours: [], answerSeconds: 30, timeZone: 'Asia/Shanghai' }),
        hall: () => null,
        bus,
        clock: now,
        logger,
      }),
      resident: createResidentServices({
        db,
        config: { ...cfg.config, dataDir: dir },
        catalog: createCatalogService(db),
        devices,
        bus,
        logger,
        clock: now,
        sync: null,
        calendar: () => loadSeedCalendar(resourcesDir()),
        evaluationItems: () => loadSeedEvaluationItems(resourcesDir()),
        caseStatuses: createCaseStatusFeed(),
      }),
    },
    logger,
    rendererDir: dir,
    token: TOKEN,
  });
  app = server.app;
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  port = typeof address === 'object' && address ? address.port : 0;
  server.setPort(port);
  host = `127.0.0.1:${port}`;
});
afterAll(async () => {
  await app.close();
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const client = (token = TOKEN) =>
  createTRPCClient<AppRouter>({
    links: [httpLink({ url: `http://${host}/api`, headers: { cookie: `${TOKEN_COOKIE}=${token}` } })],
  });

describe('judgeRequest', () => {
  it.each([
    [{ host: '127.0.0.1:80', origin: undefined, secFetchSite: undefined }, true],
    [{ host: 'localhost:80', origin: 'http://localhost:80', secFetchSite: 'same-origin' }, true],
    [{ host: 'evil.example:80', origin: undefined, secFetchSite: undefined }, false],
    [{ host: '127.0.0.1:81', origin: undefined, secFetchSite: undefined }, false],
    [{ host: undefined, origin: undefined, secFetchSite: undefined }, false],
    [{ host: '127.0.0.1:80', origin: 'http://evil.example', secFetchSite: undefined }, false],
    [{ host: '127.0.0.1:80', origin: 'null', secFetchSite: undefined }, false],
    [{ host: '127.0.0.1:80', origin: undefined, secFetchSite: 'cross-site' }, false],
    [{ host: '127.0.0.1:80', origin: undefined, secFetchSite: 'same-site' }, false],
  ])('%j → allowed %s', (req, allowed) => {
    expect(judgeRequest({ ...req, port: 80 }).ok).toBe(allowed);
  });
});

describe('kiosk HTTP server', () => {
  it('serves the page with the session cookie, a CSP and no CORS', async () => {
    const res = await raw(port, '/', { host });
    expect(res.status).toBe(200);
    expect(res.body).toContain('<title>kiosk</title>');
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toContain(`${TOKEN_COOKIE}=${TOKEN}`);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(res.headers['content-security-policy']).toMatch(/default-src 'self'/);
    expect(res.headers['content-security-policy']).toMatch(/frame-ancestors 'none'/);
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('refuses a foreign Host (DNS rebinding) before doing anything', async () => {
    const res = await raw(port, '/', { host: `attacker.example:${port}` });
    expect(res.status).toBe(421);
    expect(res.headers['set-cookie']).toBeUndefined();
    const api = await raw(port, '/api/system.status', {
      host: 'attacker.example',
      cookie: `${TOKEN_COOKIE}=${TOKEN}`,
    });
    expect(api.status).toBe(421);
  });

  it('refuses cross-origin requests and answers preflights without CORS headers', async () => {
    const res = await raw(port, '/api/system.status', {
      host,
      origin: 'http://evil.example',
      cookie: `${TOKEN_COOKIE}=${TOKEN}`,
    });
    expect(res.status).toBe(403);
    const pre = await raw(
      port,
      '/api/system.status',
      { host, origin: 'http://evil.example', 'access-control-request-method': 'POST' },
      'OPTIONS',
    );
    expect(pre.status).toBe(403);
    expect(pre.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('refuses API calls without the per-boot token', async () => {
    expect((await raw(port, '/api/system.status', { host })).status).toBe(401);
    const wrong = await raw(port, '/api/system.status', {
      host,
      cookie: `${TOKEN_COOKIE}=wrong-token-0123456789`,
    });
    expect(wrong.status).toBe(401);
    expect(wrong.body).toMatch(/token/);
    await expect(client('wrong-token-0123456789').system.status.query()).rejects.toBeInstanceOf(
      TRPCClientError,
    );
  });

  it('answers typed queries', async () => {
    const c = client();
    expect(await c.system.info.query()).toMatchObject({ name: 'zizhu-kiosk', version: '9.9.9' });
    const s = await c.system.status.query();
    expect(s.network).toEqual({ state: 'not-enrolled' });
    expect(s.devices.find((d) => d.kind === 'printer')).toMatchObject({
      uri: 'tcp://127.0.0.1:9100',
      state: 'disconnected',
    });
    expect(s.devices.find((d) => d.kind === 'scanner')).toMatchObject({ state: 'not-configured' });
    expect(s.devices.find((d) => d.kind === 'idcard')).toMatchObject({ state: 'simulated' });
    expect((await c.catalog.windows.query()).map((w) => w.code)).toEqual(['zzlb', 'ylsb']);
    expect((await c.catalog.items.query({ window: 'ylsb' })).length).toBe(2);
    expect((await c.catalog.search.query({ query: 'sb' })).map((i) => i.code)).toContain('SB-001');
    const item = await c.catalog.item.query({ code: 'SB-001' });
    expect(item.ok && item.value.name.zh).toBe('社会保障卡申领');
    const bundle = await c.catalog.bundle.query({ code: 'retire' });
    expect(bundle.ok && bundle.value.items).toHaveLength(2);
    expect(await c.catalog.bundles.query()).toHaveLength(1);
  });

  it('validates input, and answers unknown codes as a not-found value (never a thrown error)', async () => {
    const c = client();
    expect(await c.catalog.item.query({ code: 'NOPE' })).toEqual({ ok: false, error: { kind: 'not-found' } });
    expect(await c.catalog.bundle.query({ code: 'NOPE' })).toEqual({
      ok: false,
      error: { kind: 'not-found' },
    });
    // @ts-expect-error — a window code that does not exist is refused by zod
    const bad = await c.catalog.items.query({ window: 'xxx' }).catch((e: unknown) => e);
    expect((bad as TRPCClientError<AppRouter>).data?.code).toBe('BAD_REQUEST');
  });

  it('streams the status first, then published events, over SSE', async () => {
    const controller = new AbortController();
    const res = await fetch(`http://${host}/api/events.stream`, {
      headers: { cookie: `${TOKEN_COOKIE}=${TOKEN}`, accept: 'text/event-stream' },
      signal: controller.signal,
    });
    expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    const readUntil = async (needle: string) => {
      for (let i = 0; i < 50 && !text.includes(needle); i++) {
        const { value, done } = await reader.read();
        if (done) break;
        text += decoder.decode(value);
      }
    };
    await readUntil('"type":"status"');
    expect(text).toContain('"kioskName"');
    // Wait until the stream is subscribed to the bus, then publish a device change.
    for (let i = 0; i < 50 && bus.listenerCount() === 0; i++) await new Promise((r) => setTimeout(r, 20));
    status.setDeviceState('printer', { state: 'warning', detail: 'paper-near-end' });
    await readUntil('paper-near-end');
    expect(text).toContain('paper-near-end');
    controller.abort();
  });
});
