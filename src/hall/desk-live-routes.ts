/**
 * The HTTP face of the live desk and the 叫号 panel (docs/sync-protocol.md, 8 "Live desk events" and
 * "叫号 panel"). Every route goes through the staff gate first (staff-auth.ts): the event stream needs
 * `case.read`, the queue `queue.call`.
 *
 * The stream is plain server-sent events: `id: <epoch>-<n>`, `event: <type>`, `data: <json>`, a
 * comment line every keepAliveMs so proxies keep it open, and it ends when the hall closes. The page
 * reads it with fetch while it signs in with a bearer token; EventSource works once a session cookie
 * does (it resends Last-Event-ID by itself).
 */
import { holdEventStream } from './event-stream.js';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { DeskDelivery, DeskEvents } from './desk-events.js';
import { notFound, notJson, type HttpAnswer } from './answers.js';
import type { QueueDesk, QueueMove } from './queue-desk.js';
import type { StaffAuth } from './staff-auth.js';

export type DeskLiveRouteDeps = {
  events: DeskEvents;
  queue: QueueDesk;
  staffAuth: StaffAuth;
  /** Aborted when the hall closes: open streams end. */
  closing: AbortSignal;
  keepAliveMs?: number;
};

export const DESK_KEEPALIVE_MS = 15_000;

const MOVES: readonly QueueMove[] = ['recall', 'skip', 'transfer'];

export function registerDeskLiveRoutes(app: FastifyInstance, deps: DeskLiveRouteDeps): void {
  const { staffAuth, queue } = deps;
  const send = (reply: FastifyReply, a: HttpAnswer) => {
    if (a.headers) void reply.headers(a.headers);
    return reply.code(a.status).header('cache-control', 'no-store').send(a.body);
  };
  const json = (req: FastifyRequest): { ok: true; value: unknown } | { ok: false } => {
    const raw = Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '';
    if (raw.trim() === '') return { ok: true, value: {} };
    try {
      return { ok: true, value: JSON.parse(raw) as unknown };
    } catch {
      return { ok: false };
    }
  };

  app.get('/v1/staff/events', async (req, reply) => {
    const who = await staffAuth(req, reply, 'case.read');
    if (!who) return reply;
    void reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      connection: 'keep-alive',
    });
    const write = (d: DeskDelivery) => {
      res.write(`id: ${d.id}\nevent: ${d.event.type}\ndata: ${JSON.stringify(d.event)}\n\n`);
    };
    const header = req.headers['last-event-id'];
    const lastEventId = typeof header === 'string' && header.length > 0 ? header : undefined;
    holdEventStream({
      req,
      res,
      closing: deps.closing,
      keepAliveMs: deps.keepAliveMs ?? DESK_KEEPALIVE_MS,
      unsubscribe: deps.events.subscribe(who.jurisdictions, lastEventId, write),
    });
    return reply;
  });

  app.get('/v1/staff/queue', async (req, reply) => {
    const who = await staffAuth(req, reply, 'queue.call');
    if (!who) return reply;
    return send(reply, await queue.list(who, req.query));
  });
  app.post(
    '/v1/staff/queue/:window/next',
    async (req: FastifyRequest<{ Params: { window: string } }>, reply) => {
      const who = await staffAuth(req, reply, 'queue.call');
      if (!who) return reply;
      const body = json(req);
      if (!body.ok) return send(reply, notJson());
      return send(reply, await queue.callNext(who, req.params.window, body.value, req.ip));
    },
  );
  app.post(
    '/v1/staff/queue/tickets/:id/:move',
    async (req: FastifyRequest<{ Params: { id: string; move: string } }>, reply) => {
      const who = await staffAuth(req, reply, 'queue.call');
      if (!who) return reply;
      const move = MOVES.find((m) => m === req.params.move);
      if (!move) return send(reply, notFound('no such route'));
      const body = json(req);
      if (!body.ok) return send(reply, notJson());
      return send(reply, await queue.move(who, req.params.id, move, body.value, req.ip));
    },
  );
}
