/**
 * The staff desk's extras on the reference hall (docs/sync-protocol.md, 8.1–8.5): the staff web page, case
 * detail, 电子监察 supervision, 好差评 follow-ups and export, the fleet view — all behind the staff bearer
 * token (docs/sync-protocol.md, "Staff API") — and the kiosks' signed heartbeat. server.ts creates
 * this once, hands `onEvaluationApplied` to the push and calls `register` with its app.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DEFAULT_FOLLOWUP_DAYS, DEFAULT_TIME_ZONE, DEFAULT_WARN_DAYS, type HallConfig } from './config.js';
import type { Audit } from './audit.js';
import { createCaseDetail } from './case-detail.js';
import { createCaseList } from './case-list.js';
import { loadHallCatalog } from './catalog.js';
import { createEvaluationExport } from './evaluation-export.js';
import { createFleet } from './fleet.js';
import { createFollowupDesk } from './followups.js';
import { loadHallCalendar, loadHallEvaluationItems } from './resources.js';
import { badRequest, notJson, type HttpAnswer } from './answers.js';
import { describeIssues, supervisionQuerySchema } from '../shared/wire/index.js';
import type { HallService } from './service.js';
import type { StaffAuth } from './staff-auth.js';
import { loadStaffPage, STAFF_PAGE_CSP, STAFF_PAGE_FILES } from './staff-page.js';
import type { HallDatabase } from './store/index.js';
import { createSupervision } from './supervision.js';

export function createStaffExtensions(deps: { db: HallDatabase; clock: () => Date; config: HallConfig }) {
  const { db, clock, config } = deps;
  const calendar = loadHallCalendar(config.calendarPath);
  if (!calendar.ok) throw new Error(`holiday calendar: ${calendar.error}`);
  const items = loadHallEvaluationItems();
  const timeZone = config.timeZone ?? DEFAULT_TIME_ZONE;
  const catalog = loadHallCatalog();
  if (!catalog.ok) throw new Error(`service catalog: ${catalog.error}`);
  const supervision = createSupervision({
    db,
    clock,
    calendar: calendar.value,
    timeZone,
    warnDays: config.warnDays ?? DEFAULT_WARN_DAYS,
  });
  const followups = createFollowupDesk({
    db,
    clock,
    calendar: calendar.value,
    timeZone,
    followupDays: config.followupDays ?? DEFAULT_FOLLOWUP_DAYS,
    items,
    // The follow-up's case link names its item (null for a code the catalog does not know).
    itemName: (code: string) => catalog.value.itemName(code),
  });
  const exporter = createEvaluationExport({ db, clock, items });
  const fleet = createFleet({ db, clock });
  const caseDetail = createCaseDetail({ db, supervision, catalog: catalog.value });
  const caseList = createCaseList({
    db,
    clock,
    calendar: calendar.value,
    timeZone,
    warnDays: config.warnDays ?? DEFAULT_WARN_DAYS,
    catalog: catalog.value,
    supervision,
  });
  // The built page is read once; a hall started without it still serves the sync and staff APIs.
  const page = loadStaffPage(config.staffPageDir);

  function register(
    app: FastifyInstance,
    with_: { service: HallService; staffAuth: StaffAuth; audit: Audit },
  ): void {
    const { service, staffAuth, audit } = with_;
    // The list columns of cases stored before migration 14 (or by an older hall), or worked out with
    // another holiday calendar or time zone, are worked out before the hall serves (each list read
    // works out those of cases changed since).
    app.addHook('onReady', async () => {
      await caseList.checkBasis();
      await caseList.refresh();
    });
    const rawBody = (req: FastifyRequest): Buffer => (Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0));
    const send = (reply: FastifyReply, a: HttpAnswer) => {
      if (a.headers) void reply.headers(a.headers);
      return reply.code(a.status).header('cache-control', 'no-store').send(a.body);
    };
    const json = (req: FastifyRequest): { ok: true; value: unknown } | { ok: false } => {
      try {
        return { ok: true, value: JSON.parse(rawBody(req).toString('utf8')) as unknown };
      } catch {
        return { ok: false };
      }
    };

    // ---- the page: HTML, script and style as separate resources under a strict CSP -------------
    const asset =
      (status: number, body: Buffer | string, type: string) => (_req: FastifyRequest, reply: FastifyReply) =>
        reply
          .code(status)
          .headers({
            'content-type': type,
            'content-security-policy': STAFF_PAGE_CSP,
            'x-content-type-options': 'nosniff',
            'referrer-policy': 'no-referrer',
            'x-frame-options': 'DENY',
            'cache-control': 'no-cache',
          })
          .send(body);
    if (page.ok) {
      for (const f of page.value) app.get(f.url, asset(200, f.body, f.type));
    } else {
      for (const f of STAFF_PAGE_FILES) app.get(f.url, asset(503, page.error, 'text/plain; charset=utf-8'));
    }

    // ---- staff API ------------------------------------------------------------------------------
    // GET /v1/staff/me: account-routes.ts (who is signed in, with the session's CSRF token).
    app.get('/v1/staff/cases/:id', async (req: FastifyRequest<{ Params: { id: string } }>, reply) => {
      const who = await staffAuth(req, reply, 'case.read');
      if (!who) return reply;
      return send(reply, await caseDetail.detail(who, req.params.id));
    });
    app.get(
      '/v1/staff/cases/:id/blobs/:sha256',
      async (req: FastifyRequest<{ Params: { id: string; sha256: string } }>, reply) => {
        const who = await staffAuth(req, reply, 'case.read');
        if (!who) return reply;
        return send(
          reply,
          await caseDetail.document(who, req.params.id, req.params.sha256, service.readBlob, audit, req.ip),
        );
      },
    );
    // The case list and the audited reveal (docs/sync-protocol.md, 8.12).
    app.get('/v1/staff/case-list', async (req, reply) => {
      const who = await staffAuth(req, reply, 'case.read');
      if (!who) return reply;
      return send(reply, await caseList.list(who, req.query));
    });
    app.get('/v1/staff/case-list/summary', async (req, reply) => {
      const who = await staffAuth(req, reply, 'case.read');
      if (!who) return reply;
      return send(reply, await caseList.summary(who));
    });
    app.post('/v1/staff/cases/:id/reveal', async (req: FastifyRequest<{ Params: { id: string } }>, reply) => {
      const who = await staffAuth(req, reply, 'case.reveal');
      if (!who) return reply;
      return send(reply, await caseList.reveal(who, req.params.id, audit, req.ip));
    });
    app.get('/v1/staff/supervision', async (req, reply) => {
      // Every role that reads cases sees their 电子监察 lights (the case list draws them).
      const who = await staffAuth(req, reply, 'case.read');
      if (!who) return reply;
      const q = supervisionQuerySchema.safeParse(req.query);
      if (!q.success) return send(reply, badRequest(describeIssues(q.error)));
      // With limit, cursor or open: one page (case-list.ts); else the full report, every case (督查's export).
      const { limit, cursor, open } = q.data;
      if (limit !== undefined || cursor !== undefined || open !== undefined)
        return send(reply, await caseList.supervisionPage(who, q.data));
      return send(reply, { status: 200, body: await supervision.report(who.jurisdictions) });
    });
    app.get(
      '/v1/staff/followups',
      async (req: FastifyRequest<{ Querystring: { state?: string } }>, reply) => {
        const who = await staffAuth(req, reply, 'supervision.read');
        if (!who) return reply;
        return send(reply, await followups.list(who, req.query.state));
      },
    );
    app.post(
      '/v1/staff/followups/:id/actions',
      async (req: FastifyRequest<{ Params: { id: string } }>, reply) => {
        const who = await staffAuth(req, reply, 'followup.act');
        if (!who) return reply;
        const body = json(req);
        if (!body.ok) return send(reply, notJson());
        return send(reply, await followups.act(who, req.params.id, body.value));
      },
    );
    app.get('/v1/staff/evaluations/export', async (req, reply) => {
      const who = await staffAuth(req, reply, 'stats.export');
      if (!who) return reply;
      return send(reply, { status: 200, body: await exporter.exportJurisdiction(who.jurisdictions) });
    });
    app.get('/v1/staff/fleet', async (req, reply) => {
      const who = await staffAuth(req, reply, 'kiosks.manage');
      if (!who) return reply;
      return send(reply, { status: 200, body: await fleet.report() });
    });

    // ---- kiosk heartbeat (signed like every kiosk request) ---------------------------------------
    app.post('/v1/heartbeat', async (req, reply) => {
      const r = await service.authenticate(req.method, req.url, req.headers, rawBody(req));
      if (!r.ok) return send(reply, r.answer);
      const body = json(req);
      if (!body.ok) return send(reply, notJson());
      return send(reply, await fleet.heartbeat(r.kiosk.id, body.value));
    });
  }

  return {
    /** For createHallService: runs inside the push's transaction. */
    onEvaluationApplied: followups.onEvaluationApplied,
    register,
    supervision,
    followups,
    fleet,
    exporter,
    caseList,
    /** The catalog read at start, for the other desk routes (documents, statistics, 叫号). */
    catalog: catalog.value,
  };
}

export type StaffExtensions = ReturnType<typeof createStaffExtensions>;
