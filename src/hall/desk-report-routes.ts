/**
 * The staff desk's documents and statistics routes (docs/sync-protocol.md, 8.8 and 8.9):
 *
 *   GET /v1/staff/cases/{id}/documents/{acceptance|correction|refusal}.pdf   case.read
 *   GET /v1/staff/stats?from=&to=                          stats.export or supervision.read
 *   GET /v1/staff/stats.csv?from=&to=, /v1/staff/stats.xlsx?from=&to=        stats.export
 *
 * Every route asks the staff gate first; documents and exports are written to the audit log.
 * server.ts calls `registerDeskReports` once with its app.
 */
import { join } from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { findCjkFonts } from '../shared/cjk-font.js';
import { staffMay } from '../shared/staff-roles.js';
import { isCaseDocumentKind } from '../shared/wire/index.js';
import { badRequest, forbidden, hallError, notFound, type HttpAnswer } from './answers.js';
import type { Audit } from './audit.js';
import { createCaseDocuments } from './case-documents.js';
import type { CaseList } from './case-list.js';
import type { HallCatalog } from './catalog.js';
import { DEFAULT_TIME_ZONE, type HallConfig } from './config.js';
import { createDeskStats, parseStatsQuery } from './desk-stats.js';
import { loadDocumentWording } from './document-pdf.js';
import { createDocumentWorker } from './document-worker.js';
import { findResource } from './resources.js';
import type { StaffAuth } from './staff-auth.js';
import { statsCsv, statsXlsx } from './stats-export.js';
import type { HallDatabase } from './store/index.js';
import type { Supervision } from './supervision.js';

export type DeskReportsDeps = {
  db: HallDatabase;
  clock: () => Date;
  config: HallConfig;
  supervision: Supervision;
  /** The case list (its per-case columns answer the statistics). */
  caseList: Pick<CaseList, 'statsRows'>;
  /** The hall's catalog, read once at start (staff-routes.ts). */
  catalog: HallCatalog;
  staffAuth: StaffAuth;
  audit: Audit;
};

export function registerDeskReports(app: FastifyInstance, deps: DeskReportsDeps): void {
  const { config, staffAuth, audit } = deps;
  const timeZone = config.timeZone ?? DEFAULT_TIME_ZONE;
  const wordingPath = findResource(join('hall', 'documents', 'zh-CN.yaml'));
  // A missing or broken wording file stops only the documents (503 with the reason), not the hall.
  const wording = wordingPath
    ? loadDocumentWording(wordingPath)
    : { ok: false as const, error: 'resources/hall/documents/zh-CN.yaml not found' };
  const { catalog } = deps;
  const worker = createDocumentWorker();
  app.addHook('onClose', async () => worker.close());

  const documents = wording.ok
    ? createCaseDocuments({
        db: deps.db,
        catalog,
        supervision: deps.supervision,
        wording: wording.value,
        fonts: findCjkFonts(config.documentFontPath),
        render: (job) => worker.render(job),
        audit,
        timeZone,
        hallName: config.hallName ?? wording.value.hall.name,
        sealText: config.sealText ?? wording.value.hall.seal,
      })
    : null;
  const stats = createDeskStats({
    db: deps.db,
    clock: deps.clock,
    cases: deps.caseList,
    catalog,
    timeZone,
  });

  const send = (reply: FastifyReply, a: HttpAnswer) => {
    if (a.headers) void reply.headers(a.headers);
    return reply.code(a.status).header('cache-control', 'no-store').send(a.body);
  };

  app.get(
    '/v1/staff/cases/:id/documents/:file',
    async (req: FastifyRequest<{ Params: { id: string; file: string } }>, reply) => {
      const who = await staffAuth(req, reply, 'case.read');
      if (!who) return reply;
      const kind = /^([a-z]+)\.pdf$/.exec(req.params.file)?.[1] ?? '';
      if (!isCaseDocumentKind(kind)) return send(reply, notFound('no such document'));
      if (!documents) return send(reply, hallError(503, 'unavailable', wording.ok ? '' : wording.error));
      return send(reply, await documents.pdf(who, req.params.id, kind, req.ip));
    },
  );

  type StatsRequest = FastifyRequest<{ Querystring: { from?: string; to?: string } }>;
  app.get('/v1/staff/stats', async (req: StatsRequest, reply) => {
    const who = await staffAuth(req, reply);
    if (!who) return reply;
    if (!staffMay(who, 'stats.export') && !staffMay(who, 'supervision.read'))
      return send(reply, forbidden('this account may not read statistics'));
    const q = parseStatsQuery(req.query);
    if (!q.ok) return send(reply, badRequest(q.error));
    return send(reply, { status: 200, body: await stats.compute(who, q.value) });
  });

  for (const format of ['csv', 'xlsx'] as const) {
    app.get(`/v1/staff/stats.${format}`, async (req: StatsRequest, reply) => {
      const who = await staffAuth(req, reply, 'stats.export');
      if (!who) return reply;
      const q = parseStatsQuery(req.query);
      if (!q.ok) return send(reply, badRequest(q.error));
      const s = await stats.compute(who, q.value);
      const body = format === 'csv' ? statsCsv(s) : await statsXlsx(s);
      await audit.record({
        actor: who.name,
        action: 'stats.export',
        jurisdiction: who.jurisdiction,
        address: req.ip,
        detail: { format, from: q.value.from, to: q.value.to, cases: s.totals.cases },
      });
      const name = `stats-${q.value.from}-${q.value.to}.${format}`;
      return send(reply, {
        status: 200,
        body,
        headers: {
          'content-type':
            format === 'csv'
              ? 'text/csv; charset=utf-8'
              : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
          'content-disposition': `attachment; filename="${name}"`,
          'x-content-type-options': 'nosniff',
        },
      });
    });
  }
}
