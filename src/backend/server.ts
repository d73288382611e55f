/**
 * The kiosk's HTTP server: loopback only, serves the built renderer and the typed API.
 *
 * A localhost backend must defend itself (docs/electron-shell.md, the section of that name):
 * - bound to 127.0.0.1 only;
 * - the Host header must be our own loopback address and port (DNS-rebinding defence);
 * - cross-origin requests are refused (Origin / Sec-Fetch-Site), and no CORS headers are ever sent;
 * - the API requires a per-boot secret, handed to the page as a SameSite=Strict, HttpOnly cookie when
 *   the page itself is served, so another site in the same browser can neither read nor send it.
 */
import cookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import { fastifyTRPCPlugin, type FastifyTRPCPluginOptions } from '@trpc/server/adapters/fastify';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import Fastify, {
  LogController,
  type FastifyReply,
  type FastifyRequest,
  type FastifyServerOptions,
} from 'fastify';
import { appRouter, type AppRouter } from './rpc/router.js';
import type { RpcContext } from './rpc/trpc.js';
import type { Logger } from './logger.js';

export const API_PREFIX = '/api';
export const TOKEN_COOKIE = 'kiosk_token';

export type ServerOptions = {
  context: RpcContext;
  rendererDir: string;
  logger: Logger;
  /** Per-boot secret; random unless a test pins it. */
  token?: string;
};

export type RequestVerdict = { ok: true } | { ok: false; status: 403 | 421; reason: string };

/** The decisions of the request guard, as a pure function for tests. */
export function judgeRequest(req: {
  host: string | undefined;
  origin: string | undefined;
  secFetchSite: string | undefined;
  port: number;
}): RequestVerdict {
  const allowedHosts = [`127.0.0.1:${req.port}`, `localhost:${req.port}`];
  if (req.host === undefined || !allowedHosts.includes(req.host.toLowerCase())) {
    return { ok: false, status: 421, reason: `unexpected Host header ${JSON.stringify(req.host ?? null)}` };
  }
  if (req.origin !== undefined && req.origin !== `http://${req.host.toLowerCase()}`) {
    return { ok: false, status: 403, reason: `cross-origin request from ${req.origin}` };
  }
  if (req.secFetchSite !== undefined && req.secFetchSite !== 'same-origin' && req.secFetchSite !== 'none') {
    return { ok: false, status: 403, reason: `cross-site request (${req.secFetchSite})` };
  }
  return { ok: true };
}

const header = (req: FastifyRequest, name: string): string | undefined => {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
};

type CompilersFactory = NonNullable<
  NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']
>;
type ValidatorFactory = NonNullable<CompilersFactory['buildValidator']>;
type SerializerFactory = NonNullable<CompilersFactory['buildSerializer']>;

/**
 * Fastify's own schema compilers (ajv, fast-json-stringify), loaded only when a route declares a
 * JSON schema. No route here does (tRPC validates with zod), yet fastify loads ajv up front when
 * none are given, a noticeable part of every start (docs/benchmarks.md, "Start-up"). They are
 * fastify's dependencies, so they are resolved from fastify's own location. One difference should a
 * route ever declare a `headers` schema: fastify then treats the compiler as custom and does not
 * lower-case that schema's keys for it.
 */
function lazySchemaCompilers(): CompilersFactory {
  const fromFastify = createRequire(createRequire(import.meta.url).resolve('fastify'));
  let validator: ValidatorFactory | undefined;
  let serializer: SerializerFactory | undefined;
  return {
    buildValidator: (externalSchemas, options) =>
      (validator ??= (fromFastify('@fastify/ajv-compiler') as () => ValidatorFactory)())(
        externalSchemas,
        options,
      ),
    buildSerializer: (externalSchemas, options) =>
      (serializer ??= (fromFastify('@fastify/fast-json-stringify-compiler') as () => SerializerFactory)())(
        externalSchemas,
        options,
      ),
  };
}

/**
 * Whether a request reaches the API, judged as the router sees it — by the route it matched and by
 * its percent-decoded path — not by the raw URL: `/%61pi/system.info` is routed to the API although
 * its raw text does not start with /api/ (issue 13; docs/security.md, "Production mode"). A path
 * that does not decode counts as the API (refused without the cookie rather than let through).
 */
export function isApiRequest(req: { url: string; routeOptions: { url?: string | undefined } }): boolean {
  const prefix = `${API_PREFIX}/`;
  if ((req.routeOptions.url ?? '').startsWith(prefix)) return true;
  const path = req.url.split('?')[0] ?? '';
  let decoded: string;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    return true;
  }
  return decoded
    .replace(/\/{2,}/g, '/')
    .toLowerCase()
    .startsWith(prefix);
}

function tokensEqual(a: string | undefined, b: string): boolean {
  if (a === undefined) return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export async function createServer(opts: ServerOptions) {
  const token = opts.token ?? randomBytes(32).toString('base64url');
  let port = -1;
  const app = Fastify({
    loggerInstance: opts.logger,
    // Per-request lines would log every poll of the screen; refusals are logged by the guard below.
    logController: new LogController({ disableRequestLogging: true }),
    // Document-camera frames arrive as data URLs (a few MB at most).
    bodyLimit: 10 * 1024 * 1024,
    schemaController: { compilersFactory: lazySchemaCompilers() },
  });
  await app.register(cookie);

  app.addHook('onRequest', async (req: FastifyRequest, reply: FastifyReply) => {
    const verdict = judgeRequest({
      host: header(req, 'host'),
      origin: header(req, 'origin'),
      secFetchSite: header(req, 'sec-fetch-site'),
      port,
    });
    if (!verdict.ok) {
      req.log.warn({ url: req.url, reason: verdict.reason }, 'request refused');
      return reply
        .code(verdict.status)
        .type('text/plain; charset=utf-8')
        .send(`refused: ${verdict.reason}\n`);
    }
    if (isApiRequest(req) && !tokensEqual(req.cookies[TOKEN_COOKIE], token)) {
      return reply
        .code(401)
        .type('text/plain; charset=utf-8')
        .send('refused: missing or wrong kiosk session token\n');
    }
    return undefined;
  });
  app.addHook('onSend', async (_req, reply, payload) => {
    void reply.header('X-Content-Type-Options', 'nosniff');
    void reply.header('Referrer-Policy', 'no-referrer');
    void reply.header('X-Frame-Options', 'DENY');
    return payload;
  });

  const router: AppRouter = appRouter;
  await app.register(fastifyTRPCPlugin, {
    prefix: API_PREFIX,
    trpcOptions: {
      router,
      createContext: ({ req }) => ({ ...opts.context, techSession: header(req, 'x-tech-session') }),
      onError: ({ path, error }) => {
        if (error.code === 'INTERNAL_SERVER_ERROR') opts.logger.error({ path, err: error }, 'rpc failed');
      },
    } satisfies FastifyTRPCPluginOptions<AppRouter>['trpcOptions'],
  });

  const indexPath = join(opts.rendererDir, 'index.html');
  const csp = [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "media-src 'self' blob: mediastream:",
    "connect-src 'self'",
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'self'",
  ].join('; ');
  const sendIndex = (reply: FastifyReply) => {
    if (!existsSync(indexPath)) {
      return reply
        .code(503)
        .type('text/plain; charset=utf-8')
        .send(`The kiosk screen has not been built (${indexPath} is missing): run "npm run build".\n`);
    }
    void reply.setCookie(TOKEN_COOKIE, token, { path: '/', httpOnly: true, sameSite: 'strict' });
    return reply
      .header('Cache-Control', 'no-store')
      .header('Content-Security-Policy', csp)
      .type('text/html; charset=utf-8')
      .send(readFileSync(indexPath));
  };
  app.get('/', (_req, reply) => sendIndex(reply));
  app.get('/index.html', (_req, reply) => sendIndex(reply));
  if (existsSync(opts.rendererDir)) {
    await app.register(fastifyStatic, { root: opts.rendererDir, prefix: '/', index: false, wildcard: true });
  }
  app.get('/healthz', () => ({ ok: true }));

  return {
    app,
    token,
    setPort(p: number) {
      port = p;
    },
  };
}
