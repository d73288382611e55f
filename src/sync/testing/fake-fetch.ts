/**
 * A fake `fetch` for unit tests of the sync client's parts: a handler plays the hall, every request
 * is recorded as the hall would see it. For what a real hall would make awkward (a clock three
 * hours off, a hall that never answers, a half-uploaded blob); the real-transport tests
 * (client.test.ts, conformance.test.ts) use the reference hall.
 */
import { HEADERS, signAnswer } from '../protocol.js';
import type { FetchFn, SyncLogger } from '../transport.js';

/** The secret the sync tests' credentials carry; the fake hall signs its answers with it. */
export const FAKE_SECRET = 'a-secret-of-sixteen-or-more';

/** The answer as the real hall sends it: signed over the request's nonce, status and body (1.1). */
async function signed(req: FakeRequest, res: Response, secret: string): Promise<Response> {
  const nonce = req.headers.get(HEADERS.nonce);
  if (nonce === null || res.headers.has(HEADERS.answerSignature)) return res;
  const bytes = new Uint8Array(await res.arrayBuffer());
  const headers = new Headers(res.headers);
  // A HEAD answer has no body on the wire: the hall signs the empty string.
  const signedBytes = req.method === 'HEAD' ? new Uint8Array(0) : bytes;
  headers.set(HEADERS.answerSignature, signAnswer(secret, nonce, res.status, signedBytes));
  return new Response(bytes.length > 0 ? bytes : null, { status: res.status, headers });
}

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

/**
 * `secret`: what the fake hall signs its answers with (default FAKE_SECRET); null for a hall that does
 * not sign (an impostor). A handler that sets the signature header itself is left alone.
 */
export function fakeFetch(
  hall: FakeHall,
  opts: { secret?: string | null } = {},
): { fetch: FetchFn; requests: FakeRequest[] } {
  const secret = opts.secret === undefined ? FAKE_SECRET : opts.secret;
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
    const res = await hall(req);
    return secret === null ? res : signed(req, res, secret);
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
