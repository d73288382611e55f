/**
 * The life of one staff event stream (text/event-stream; help calls and the live desk): a keep-alive
 * comment so proxies keep it open, and one end — the client going away or the hall closing — that
 * stops the keep-alive and the subscription once.
 */
import type { ServerResponse } from 'node:http';
import type { FastifyRequest } from 'fastify';

export function holdEventStream(o: {
  req: FastifyRequest;
  res: ServerResponse;
  closing: AbortSignal;
  keepAliveMs: number;
  unsubscribe: () => void;
}): void {
  const keepalive = setInterval(() => o.res.write(': keep-alive\n\n'), o.keepAliveMs);
  const end = () => {
    clearInterval(keepalive);
    o.unsubscribe();
    o.closing.removeEventListener('abort', endResponse);
  };
  const endResponse = () => {
    end();
    o.res.end();
  };
  o.req.raw.on('close', end);
  o.closing.addEventListener('abort', endResponse);
}
