/**
 * A fake `fetch` for unit tests of the sync client's parts: a handler plays the hall, every request
 * is recorded as the hall would see it. For what a real hall would make awkward (a clock three
 * hours off, a hall that never answers, a half-uploaded blob); the real-transport tests
 * (client.test.ts, conformance.test.ts) use the reference hall.
 */
import type { FetchFn, SyncLogger } from '../transport.js';

export type FakeRequest = {
  method: string;
  url: URL;
  /** Path and query, as the hall receives them. */
  target: string;
  headers: Headers;
  body: Buffer;
  signal: AbortSignal | null;
};

export type FakeHall = (req: FakeRequest) => Response | Promise<Response>;

const urlOf = (input: Parameters<FetchFn>[0]): URL =>
  new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);

export function fakeFetch(hall: FakeHall): { fetch: FetchFn; requests: FakeRequest[] } {
  const requests: FakeRequest[] = [];
  const f: FetchFn = async (input, init) => {
    const url = urlOf(input);
    const raw = init?.body;
    const req: FakeRequest = {
      method: init?.method ?? 'GET',
      url,
      target: `${url.pathname}${url.search}`,
      headers: new Headers(init?.headers),
      body: raw instanceof Uint8Array ? Buffer.from(raw) : Buffer.from(typeof raw === 'string' ? raw : ''),
      signal: init?.signal ?? null,
    };
    requests.push(req);
    if (req.signal?.aborted) throw req.signal.reason;
    return hall(req);
  };
  return { fetch: f, requests };
}

export const jsonReply = (status: number, body: unknown, headers: Record<string, string> = {}): Response =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

/** A hall that never answers: rejects as fetch does once the request's signal aborts. */
export const neverAnswers = (req: FakeRequest): Promise<Response> =>
  new Promise<Response>((_resolve, reject) => {
    req.signal?.addEventListener('abort', () => reject(req.signal?.reason as Error), { once: true });
  });

export const silentLogger: SyncLogger = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  debug: () => undefined,
};
