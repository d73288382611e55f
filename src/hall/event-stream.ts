/**
 * Held requests: the life of one staff event stream (text/event-stream; help calls and the live desk): a keep-alive
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

/**
 * The signal a kiosk long-poll (GET /v1/wait, the help request's signals) waits with: aborted when the
 * hall closes or the client goes away before its answer — its next application cut the wait short, or
 * it lost the network — so nothing stays waiting for a kiosk that left. `release()` once answered.
 * (Not AbortSignal.any: on Node 20 every combined signal stays attached to the hall's long-lived one.)
 */
export function heldRequestSignal(
  res: ServerResponse,
  closing: AbortSignal,
): { signal: AbortSignal; release: () => void } {
  const stop = new AbortController();
  const onClose = () => {
    if (!res.writableFinished) stop.abort();
  };
  const onClosing = () => stop.abort();
  res.once('close', onClose);
  closing.addEventListener('abort', onClosing, { once: true });
  if (closing.aborted) stop.abort();
  return {
    signal: stop.signal,
    release: () => {
      res.off('close', onClose);
      closing.removeEventListener('abort', onClosing);
    },
  };
}
