/**
 * The HTTP face of 呼叫帮助 (docs/sync-protocol.md, section 5d; the rules are in help-desk.ts).
 * Kiosk routes go through the server's kiosk authentication (`kioskAuth`, the signed-request check
 * every kiosk route uses), staff routes through the staff bearer token (`staffAuth`), including the
 * staff page's live event stream, which is why the page reads it with fetch rather than EventSource
 * (EventSource cannot send an Authorization header).
 */
import { heldRequestSignal, holdEventStream } from './event-stream.js';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { MAX_HELP_WAIT_MS, type StaffHelpEvent } from '../shared/wire/index.js';
import { notJson, type HttpAnswer } from './answers.js';
import type { HelpDesk } from './help-desk.js';
import type { StaffAuth } from './staff-auth.js';

export type HelpRouteDeps = {
  desk: HelpDesk;
  /** The server's signed-kiosk check: the kiosk, or null after it has sent the refusal. */
  /** The signed-request check (the server's; synchronous or not). */
  kioskAuth: (req: FastifyRequest, reply: FastifyReply) => KioskRef | null | Promise<KioskRef | null>;
  /** The staff gate (staff-auth.ts): the staff member, or null after it has sent the 401/403. */
  staffAuth: StaffAuth;
  /** Aborted when the hall closes: long-polls and event streams end. */
  closing: AbortSignal;
};

/** How often the staff event stream sends a comment line, so proxies keep it open. */
const KEEPALIVE_MS = 15_000;

type IdParams = { Params: { id: string } };

type KioskRef = { id: string; jurisdiction: string };

export function registerHelpRoutes(app: FastifyInstance, deps: HelpRouteDeps): void {
  const { desk, kioskAuth, staffAuth } = deps;
  const rawBody = (req: FastifyRequest): Buffer => (Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0));
  const json = (req: FastifyRequest): { ok: true; value: unknown } | { ok: false } => {
    try {
      return { ok: true, value: JSON.parse(rawBody(req).toString('utf8')) as unknown };
    } catch {
      return { ok: false };
    }
  };
  const send = (reply: FastifyReply, a: HttpAnswer) => {
    if (a.headers) void reply.headers(a.headers);
    return reply.code(a.status).header('cache-control', 'no-store').send(a.body);
  };

  // ---- kiosk (signed) ------------------------------------------------------------------------------
  app.post('/v1/help/requests', async (req, reply) => {
    const kiosk = await kioskAuth(req, reply);
    if (!kiosk) return reply;
    const body = json(req);
    if (!body.ok) return send(reply, notJson());
    return send(reply, await desk.request(kiosk, body.value));
  });
  app.get('/v1/help/requests/:id', async (req: FastifyRequest<IdParams>, reply) => {
    const kiosk = await kioskAuth(req, reply);
    if (!kiosk) return reply;
    return send(reply, await desk.status(kiosk, req.params.id));
  });
  app.post('/v1/help/requests/:id/cancel', async (req: FastifyRequest<IdParams>, reply) => {
    const kiosk = await kioskAuth(req, reply);
    if (!kiosk) return reply;
    return send(reply, await desk.cancel(kiosk, req.params.id));
  });
  app.post('/v1/help/requests/:id/signals', async (req: FastifyRequest<IdParams>, reply) => {
    const kiosk = await kioskAuth(req, reply);
    if (!kiosk) return reply;
    const body = json(req);
    if (!body.ok) return send(reply, notJson());
    return send(reply, await desk.kioskSignal(kiosk, req.params.id, body.value));
  });
  app.get(
    '/v1/help/requests/:id/signals',
    async (
      req: FastifyRequest<{ Params: { id: string }; Querystring: { after?: string; timeoutMs?: string } }>,
      reply,
    ) => {
      const kiosk = await kioskAuth(req, reply);
      if (!kiosk) return reply;
      const after = /^\d{1,9}$/.test(req.query.after ?? '') ? Number(req.query.after) : 0;
      const requested = Number(req.query.timeoutMs ?? MAX_HELP_WAIT_MS);
      const timeout = Number.isFinite(requested) ? Math.min(Math.max(0, requested), MAX_HELP_WAIT_MS) : 0;
      // A kiosk that went away is not waited for (event-stream.ts).
      const held = heldRequestSignal(reply.raw, deps.closing);
      try {
        return send(reply, await desk.kioskSignals(kiosk, req.params.id, after, timeout, held.signal));
      } finally {
        held.release();
      }
    },
  );

  // ---- staff (bearer token) ------------------------------------------------------------------------
  app.get('/v1/staff/help', async (req, reply) => {
    const who = await staffAuth(req, reply, 'help.answer');
    if (!who) return reply;
    return send(reply, {
      status: 200,
      body: { jurisdiction: who.jurisdiction, requests: await desk.list(who) },
    });
  });
  app.get('/v1/staff/help/events', async (req, reply) => {
    const who = await staffAuth(req, reply, 'help.answer');
    if (!who) return reply;
    void reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      connection: 'keep-alive',
    });
    const write = (e: StaffHelpEvent) => {
      res.write(`data: ${JSON.stringify(e)}\n\n`);
    };
    holdEventStream({
      req,
      res,
      closing: deps.closing,
      keepAliveMs: KEEPALIVE_MS,
      unsubscribe: desk.subscribe(who, write),
    });
    return reply;
  });
  app.post('/v1/staff/help/:id/answer', async (req: FastifyRequest<IdParams>, reply) => {
    const who = await staffAuth(req, reply, 'help.answer');
    if (!who) return reply;
    return send(reply, await desk.answer(who, req.params.id));
  });
  app.post('/v1/staff/help/:id/close', async (req: FastifyRequest<IdParams>, reply) => {
    const who = await staffAuth(req, reply, 'help.answer');
    if (!who) return reply;
    return send(reply, await desk.close(who, req.params.id));
  });
  app.post('/v1/staff/help/:id/signals', async (req: FastifyRequest<IdParams>, reply) => {
    const who = await staffAuth(req, reply, 'help.answer');
    if (!who) return reply;
    const body = json(req);
    if (!body.ok) return send(reply, notJson());
    return send(reply, await desk.staffSignal(who, req.params.id, body.value));
  });
}
