/**
 * Reference hall server (the central platform's sync endpoint): JSON over HTTP as specified in
 * docs/sync-protocol.md. This layer only reads requests, authenticates them and turns the service's
 * answers into responses; the rules live in service.ts and the parts it composes.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { DEFAULT_BLOB_RETENTION_DAYS } from './blob-maintenance.js';
import { DEFAULT_BLOB_GC_HOURS, scheduleBlobGc, type BlobGcSchedule } from './blob-gc-schedule.js';
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';
import { readFileSync } from 'node:fs';
import type { HallConfig } from './config.js';
import { HEADERS } from './auth.js';
import { installGate, type GateLogger } from './gate.js';
import {
  BODY_LIMITS,
  createAttemptThrottle,
  createLimitedServer,
  openFilesLimit,
  openFilesWarning,
  resolveHallLimits,
} from './limits.js';
import { badRequest, hallError, notJson, type HttpAnswer } from './answers.js';
import { createHallService, type HallService, type Kiosk } from './service.js';
import { createStaffDesk, type StaffDesk } from './staff.js';
import { createStaffAuth, staffCookieName } from './staff-auth.js';
import { createAccounts, type Accounts } from './accounts.js';
import { registerAccountRoutes } from './account-routes.js';
import { createAudit, type Audit } from './audit.js';
import { createHallQueue, type HallQueue } from './queue.js';
import { createStaffExtensions, type StaffExtensions } from './staff-routes.js';
import { registerDeskReports } from './desk-report-routes.js';
import { createHelpDesk, type HelpDesk } from './help-desk.js';
import { registerHelpRoutes } from './help-routes.js';
import { createDeskEvents, type DeskEvents } from './desk-events.js';
import { registerDeskLiveRoutes } from './desk-live-routes.js';
import { createQueueDesk } from './queue-desk.js';
import { DEFAULT_TIME_ZONE } from './config.js';
import { ensurePrivateDir, tightenTree } from '../shared/at-rest/index.js';
import { createKioskStore, HALL_LATEST_VERSION, hallSqlOf, openHallStore } from './store/index.js';
import { registerAnswerSigner } from './answer-signer.js';
import type { HallNotifier } from './notifier.js';
import { createReadiness } from './readiness.js';
import { heldRequestSignal } from './event-stream.js';
import { enrollRequestSchema } from '../shared/wire/index.js';
import { registerBatchSyncRoutes } from './batch-sync-routes.js';
import type { GroupCommitStats } from './group-commit.js';

export const PROTOCOL_VERSION = 1;
/** Long-poll bound for GET /v1/wait. */
export const MAX_WAIT_MS = 25_000;

export type HallServer = {
  staff: StaffDesk;
  /** The staff desk's audit log (audit.ts). */
  audit: Audit;
  /** Staff accounts and their sessions (accounts.ts). */
  accounts: Accounts;
  help: HelpDesk;
  queue: HallQueue;
  /** The live desk's event hub (desk-events.ts). */
  deskEvents: DeskEvents;
  url: string;
  port: number;
  service: HallService;
  /** Batch sync's group commits so far (null when HALL_SYNC_V2=0). */
  groupCommits(): GroupCommitStats | null;
  /** The scheduled blob GC (blob-gc-schedule.ts). */
  blobGc: BlobGcSchedule;
  close(): Promise<void>;
};

export type HallServerOptions = {
  silent?: boolean;
  clock?: () => Date;
  /** Change-log retention; older changes are purged and their cursors must refetch. */
  retentionMs?: number;
  /** How often the purge runs (default hourly). */
  purgeEveryMs?: number;
  /** How often nonces past twice the clock-skew window are forgotten (default every minute). */
  noncePurgeEveryMs?: number;
  /**
   * Where refused signatures, sign-ins, throttles and oversized bodies are logged (a pino logger);
   * default fastify's own logger (nothing when `silent`).
   */
  logger?: GateLogger;
  /** How often GET /v1/staff/events sends a keep-alive comment (default 15 s). */
  deskKeepAliveMs?: number;
  /**
   * Long-poll wake-ups (notifier.ts): in-process by default; a PostgreSQL notifier (pg-notifier.ts)
   * lets nodes sharing one database wake each other's long-polls. The caller owns it (closes it).
   */
  notifier?: HallNotifier;
  /** Scheduled blob GC: overrides config.blobGc's interval (tests), and the GC's grace for young packs. */
  blobGcEveryMs?: number;
  blobGcGraceMs?: number;
  /** This node's name in the blob maintenance lock and logs (default host:pid:random). */
  nodeName?: string;
};

/** The certificate chain and key, read once at start (a missing file stops the start with its name). */
function readTlsFiles(t: { certPath: string; keyPath: string }): { cert: Buffer; key: Buffer } {
  return { cert: readFileSync(t.certPath), key: readFileSync(t.keyPath) };
}

const rawBody = (req: FastifyRequest): Buffer => (Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0));

export async function startHallServer(config: HallConfig, opts: HallServerOptions = {}): Promise<HallServer> {
  // Personal data lives here: the folder 0700, every file in it 0600 (docs/security.md, "Hall data
  // at rest and key rotation"), tightened when an older release left them 0755 / 0644.
  tightenTree(ensurePrivateDir(config.dataDir));
  // The embedded SQLite database, or PostgreSQL with HALL_DATABASE_URL (store/open.ts).
  const opened = await openHallStore(config);
  if (!opened.ok) throw new Error(opened.message);
  const { store } = opened;
  const db = store.sql;
  const clock = opts.clock ?? (() => new Date());
  const limits = resolveHallLimits(config.limits);
  // Staff page, supervision, 好差评 follow-ups, fleet and heartbeat (staff-routes.ts).
  let extras: StaffExtensions;
  try {
    extras = createStaffExtensions({ db, clock, config });
  } catch (e) {
    await store.close();
    throw e;
  }
  const deskEvents = createDeskEvents({ clock, ...(opts.notifier ? { notifier: opts.notifier } : {}) });
  let service: HallService;
  try {
    service = await createHallService({
      db,
      desk: deskEvents.sink,
      dataDir: config.dataDir,
      clock,
      onEvaluationApplied: extras.onEvaluationApplied,
      ...(opts.retentionMs !== undefined ? { retentionMs: opts.retentionMs } : {}),
      partialQuotaBytes: limits.partialQuotaBytes,
      partialMaxAgeMs: limits.partialMaxAgeMs,
      ...(opts.notifier ? { notifier: opts.notifier } : {}),
    });
  } catch (e) {
    await store.close();
    throw e;
  }
  // Unfinished uploads left by a previous run (or a crash) older than the limit go now; blobs an
  // older hall stored in clear are sealed.
  service.sweepPartials();
  service.sealClearBlobs();
  const closing = new AbortController();
  // HTTPS when a certificate is configured (HALL_TLS_CERT / HALL_TLS_KEY; docs/security.md,
  // "Transport and enrolment"); the same routes, hooks and limits either way.
  const tls = config.tls ? readTlsFiles(config.tls) : null;
  const app = Fastify({
    logger: opts.silent ? false : { level: 'info' as const },
    exposeHeadRoutes: false,
    forceCloseConnections: true,
    // Each route's own limit is set by the gate (limits.ts BODY_LIMITS); this is the fallback.
    bodyLimit: BODY_LIMITS.other,
    // Request and header timeouts, keep-alive and the connection cap (limits.ts).
    serverFactory: (handler) => createLimitedServer(limits, handler, tls),
  });
  // Each connection is a file descriptor: said at start when this process could not hold as many
  // as HALL_MAX_CONNECTIONS lets in (accepting would fail with EMFILE long before the cap).
  const files = openFilesWarning(limits.maxConnections, openFilesLimit());
  if (files !== null) (opts.logger ?? app.log).warn({ maxConnections: limits.maxConnections }, files);
  const kiosks = createKioskStore(hallSqlOf(db));
  installGate(app, {
    isKnownKiosk: (id, headers) => service.isKnownKiosk(headers, id),
    checkHeaders: (headers) => {
      const r = service.checkHeaders(headers);
      return r.ok ? null : r.answer;
    },
    throttles: {
      enroll: createAttemptThrottle({
        max: limits.maxFailedAttempts,
        windowMs: limits.attemptWindowMs,
        clock,
      }),
      staff: createAttemptThrottle({
        max: limits.maxFailedAttempts,
        windowMs: limits.attemptWindowMs,
        clock,
      }),
    },
    log: opts.logger ?? app.log,
  });
  // Bodies stay raw bytes: the signature covers the body's sha256 exactly as sent.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

  const send = (reply: FastifyReply, a: HttpAnswer) => {
    if (a.headers) void reply.headers(a.headers);
    return reply.code(a.status).send(a.body);
  };
  const auth = async (req: FastifyRequest, reply: FastifyReply): Promise<Kiosk | null> => {
    const r = await service.authenticate(req.method, req.url, req.headers, rawBody(req));
    if (r.ok) return r.kiosk;
    void send(reply, r.answer);
    return null;
  };
  const json = (req: FastifyRequest): { ok: true; value: unknown } | { ok: false } => {
    try {
      return { ok: true, value: JSON.parse(rawBody(req).toString('utf8')) as unknown };
    } catch {
      return { ok: false };
    }
  };

  app.setErrorHandler((e, _req, reply) => {
    const status =
      typeof (e as { statusCode?: unknown }).statusCode === 'number'
        ? (e as { statusCode: number }).statusCode
        : 500;
    if (status === 413) return send(reply, hallError(413, 'too-large', (e as Error).message));
    if (status >= 400 && status < 500)
      return send(reply, hallError(status, 'bad-request', (e as Error).message));
    app.log.error({ err: e }, 'request failed');
    // Transient by contract: the kiosk retries with backoff (docs/sync-protocol.md, 4.3).
    return send(reply, {
      ...hallError(503, 'unavailable', 'try again later'),
      headers: { 'retry-after': '2' },
    });
  });

  // Every answer to an authenticated kiosk request is signed (docs/sync-protocol.md, 1.1).
  registerAnswerSigner(app, service.answerKey);
  app.get('/healthz', () => ({ ok: true }));
  const readiness = createReadiness({ sql: db, ...(opts.notifier ? { notifier: opts.notifier } : {}) });
  app.get('/readyz', async (_req, reply) => {
    const r = await readiness();
    return reply.code(r.ok ? 200 : 503).send(r);
  });
  app.get('/v1/info', async () => ({
    name: 'zizhu-hall',
    protocolVersion: PROTOCOL_VERSION,
    schemaVersion: HALL_LATEST_VERSION,
    kiosks: await kiosks.count(),
  }));

  app.post('/v1/enroll', async (req, reply) => {
    const schema = service.checkSchema(req.headers);
    if (schema) return send(reply, schema);
    const body = json(req);
    const request = body.ok ? enrollRequestSchema.safeParse(body.value) : null;
    if (!request?.success)
      return send(
        reply,
        badRequest('body must be {"kioskPublicKey": "<X25519, base64url>", "proof": "<hex>", "firstSeq": n}'),
      );
    return send(reply, await service.enroll(request.data));
  });

  app.route({
    method: 'HEAD',
    url: '/v1/blobs/:sha256',
    handler: async (req: FastifyRequest<{ Params: { sha256: string } }>, reply) => {
      const kiosk = await auth(req, reply);
      if (!kiosk) return reply;
      const s = await service.blobState(req.params.sha256, kiosk.id);
      if (s.complete) return reply.code(200).header('x-zizhu-blob-size', String(s.size)).send();
      return reply.code(404).header('x-zizhu-blob-offset', String(s.offset)).send();
    },
  });
  app.put('/v1/blobs/:sha256', async (req: FastifyRequest<{ Params: { sha256: string } }>, reply) => {
    const kiosk = await auth(req, reply);
    if (!kiosk) return reply;
    const offset = Number(req.headers['x-zizhu-blob-offset'] ?? '0');
    const size = Number(req.headers['x-zizhu-blob-size']);
    return send(reply, await service.putBlob(req.params.sha256, offset, size, rawBody(req), kiosk.id));
  });

  app.post('/v1/push', async (req, reply) => {
    const kiosk = await auth(req, reply);
    if (!kiosk) return reply;
    const body = json(req);
    if (!body.ok) return send(reply, notJson());
    return send(reply, await service.push(kiosk.id, body.value));
  });

  // Batch sync (docs/sync-protocol.md, 5e), unless switched off (HALL_SYNC_V2=0).
  const batch =
    config.syncV2 === false
      ? null
      : registerBatchSyncRoutes(app, {
          sql: hallSqlOf(db),
          clock,
          service,
          heartbeat: (kioskId, raw) => extras.fleet.heartbeat(kioskId, raw),
          send,
          onError: (e) => app.log.error({ err: e }, 'batch sync failed'),
        });

  // 电子证照: which materials the hall can vouch for (the resident need not scan them).
  app.post('/v1/licences/lookup', async (req, reply) => {
    const kiosk = await auth(req, reply);
    if (!kiosk) return reply;
    const body = json(req);
    if (!body.ok) return send(reply, notJson());
    return send(reply, await service.lookupLicences(body.value));
  });

  app.get(
    '/v1/changes',
    async (req: FastifyRequest<{ Querystring: { cursor?: string; limit?: string } }>, reply) => {
      const kiosk = await auth(req, reply);
      if (!kiosk) return reply;
      return send(reply, await service.changes(kiosk.id, req.query.cursor, Number(req.query.limit ?? '100')));
    },
  );

  app.get(
    '/v1/snapshot',
    async (req: FastifyRequest<{ Querystring: { after?: string; limit?: string } }>, reply) => {
      const kiosk = await auth(req, reply);
      if (!kiosk) return reply;
      return send(reply, await service.snapshot(kiosk.id, req.query.after, Number(req.query.limit ?? '100')));
    },
  );

  app.get(
    '/v1/wait',
    async (req: FastifyRequest<{ Querystring: { cursor?: string; timeoutMs?: string } }>, reply) => {
      const kiosk = await auth(req, reply);
      if (!kiosk) return reply;
      // A cursor of another history (a restored hall) is answered at once: the pull then refetches.
      const start = await service.waitStart(kiosk.id, req.query.cursor);
      const requested = Number(req.query.timeoutMs ?? MAX_WAIT_MS);
      const timeout = Number.isFinite(requested)
        ? Math.min(Math.max(0, requested), MAX_WAIT_MS)
        : MAX_WAIT_MS;
      // A kiosk that went away is not waited for (event-stream.ts).
      const held = heldRequestSignal(reply.raw, closing.signal);
      try {
        const changed =
          start.now || (await service.waitForChange(kiosk.id, start.position, timeout, held.signal, true));
        return reply.code(200).send({ changed });
      } finally {
        held.release();
      }
    },
  );

  // ---- staff (bearer token per jurisdiction; docs/sync-protocol.md, "Staff API") ----------------
  const audit = createAudit({ db, clock });
  const staff = createStaffDesk({ db, service, clock, tokenHours: limits.staffTokenHours, audit });
  const accounts = createAccounts({ db, clock, audit });
  const cookieName = staffCookieName(tls !== null);
  const staffAuth = createStaffAuth({ staff, accounts, cookieName, send });
  registerAccountRoutes(app, { accounts, audit, staffAuth, cookieName, secure: tls !== null });
  app.get('/v1/staff/cases', async (req: FastifyRequest<{ Querystring: { status?: string } }>, reply) => {
    const who = await staffAuth(req, reply, 'case.read');
    if (!who) return reply;
    return send(reply, await staff.listCases(who, req.query.status));
  });
  app.post('/v1/staff/cases/:id/actions', async (req: FastifyRequest<{ Params: { id: string } }>, reply) => {
    const who = await staffAuth(req, reply, 'case.read');
    if (!who) return reply;
    const body = json(req);
    if (!body.ok) return send(reply, notJson());
    return send(reply, await staff.act(who, req.params.id, body.value, req.ip));
  });
  extras.register(app, { service, staffAuth, audit });
  // Documents (受理通知书 …) and statistics with their exports (desk-report-routes.ts).
  registerDeskReports(app, {
    db,
    clock,
    config,
    supervision: extras.supervision,
    caseList: extras.caseList,
    catalog: extras.catalog,
    staffAuth,
    audit,
  });

  // ---- 呼叫帮助 (docs/sync-protocol.md, section 5d): signed kiosk routes, staff routes and stream ---
  // With other nodes (a notifier), the signalling crosses them through the store (help-desk.ts).
  const help = createHelpDesk({
    db,
    clock,
    desk: deskEvents.sink,
    ...(opts.notifier ? { notifier: opts.notifier } : {}),
  });
  registerHelpRoutes(app, { desk: help, kioskAuth: auth, staffAuth, closing: closing.signal });

  // ---- live desk events and the 叫号 panel (docs/sync-protocol.md, section 8) -------------------
  registerDeskLiveRoutes(app, {
    events: deskEvents,
    queue: createQueueDesk({
      db,
      clock,
      audit,
      timeZone: config.timeZone ?? DEFAULT_TIME_ZONE,
      windowName: (code: string) => extras.catalog.windowName(code),
    }),
    staffAuth,
    closing: closing.signal,
    ...(opts.deskKeepAliveMs !== undefined ? { keepAliveMs: opts.deskKeepAliveMs } : {}),
  });

  // ---- queue service (numbers per window per day; docs/sync-protocol.md, "Queue service") ------
  const queue = createHallQueue({ db, clock });
  app.post('/v1/queue/tickets', async (req, reply) => {
    const kiosk = await auth(req, reply);
    if (!kiosk) return reply;
    const body = json(req);
    if (!body.ok) return send(reply, notJson());
    return send(reply, await queue.take(kiosk.id, body.value));
  });
  app.get(
    '/v1/queue/status',
    async (req: FastifyRequest<{ Querystring: { serviceDate?: string } }>, reply) => {
      if (!(await auth(req, reply))) return reply;
      return send(reply, await queue.status(req.query.serviceDate));
    },
  );
  app.post(
    '/v1/staff/queue/:window/call',
    async (req: FastifyRequest<{ Params: { window: string } }>, reply) => {
      if (!(await staffAuth(req, reply, 'queue.call'))) return reply;
      const body = json(req);
      const date =
        body.ok && typeof body.value === 'object' && body.value !== null
          ? (body.value as { serviceDate?: unknown }).serviceDate
          : undefined;
      if (typeof date !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(date))
        return send(reply, badRequest('body must be {"serviceDate": "YYYY-MM-DD"}'));
      return send(reply, await queue.callNext(req.params.window, date));
    },
  );

  app.addHook('preClose', (done) => {
    closing.abort();
    done();
  });

  const purgeTimer = setInterval(() => {
    service.purgeChanges().catch((e: unknown) => app.log.error({ err: e }, 'change-log purge failed'));
  }, opts.purgeEveryMs ?? 3600_000);
  purgeTimer.unref();
  // Nonces older than twice the clock-skew window (a replay of them is refused as stale anyway)
  // go once a minute, in a short transaction of their own: purged on every request, PostgreSQL's
  // concurrent requests would queue on the same old rows' locks.
  const nonceTimer = setInterval(() => {
    service
      .forgetOldNonces(clock().getTime())
      .catch((e: unknown) => app.log.error({ err: e }, 'nonce purge failed'));
  }, opts.noncePurgeEveryMs ?? 60_000);
  nonceTimer.unref();
  const sweepTimer = setInterval(() => {
    try {
      service.sweepPartials();
    } catch (e) {
      app.log.error({ err: e }, 'sweep of unfinished uploads failed');
    }
  }, limits.partialSweepEveryMs);
  sweepTimer.unref();

  // Blob GC by itself (docs/blob-store.md, "Scheduled GC"): one run at a time over every node.
  const blobGc = scheduleBlobGc({
    maintenance: service.blobMaintenance,
    everyMs: opts.blobGcEveryMs ?? (config.blobGc?.everyHours ?? DEFAULT_BLOB_GC_HOURS) * 3600_000,
    retentionDays: config.blobGc?.retentionDays ?? DEFAULT_BLOB_RETENTION_DAYS,
    ...(opts.blobGcGraceMs !== undefined ? { graceMs: opts.blobGcGraceMs } : {}),
    node: opts.nodeName ?? `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`,
    log: app.log,
  });

  try {
    await app.listen({ host: config.host, port: config.port });
  } catch (e) {
    clearInterval(purgeTimer);
    clearInterval(nonceTimer);
    clearInterval(sweepTimer);
    await blobGc.close();
    await store.close();
    throw e;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : config.port;
  return {
    url: `${tls ? 'https' : 'http'}://${config.host}:${port}/`,
    port,
    service,
    staff,
    audit,
    accounts,
    help,
    queue,
    deskEvents,
    groupCommits: () => batch?.stats() ?? null,
    blobGc,
    async close() {
      clearInterval(purgeTimer);
      clearInterval(nonceTimer);
      clearInterval(sweepTimer);
      await blobGc.close();
      deskEvents.close();
      help.shutdown();
      await app.close();
      await store.close();
    },
  };
}

export { HEADERS };
