/**
 * Signing in at the staff desk (docs/sync-protocol.md, 8.11): POST /v1/staff/login sets the session
 * cookie and answers who signed in with the session's CSRF token; POST /v1/staff/logout ends it;
 * GET /v1/staff/me says who is asking; GET /v1/staff/audit pages the audit log for 督查.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { describeIssues, staffLoginSchema, type StaffAuditPage, type StaffMe } from '../shared/wire/index.js';
import { badRequest, hallError, notJson, type HttpAnswer } from './answers.js';
import type { Accounts } from './accounts.js';
import type { Audit } from './audit.js';
import type { Staff } from './staff.js';
import { cookieValue, csrfRefused, type StaffAuth } from './staff-auth.js';

export type AccountRouteDeps = {
  accounts: Accounts;
  audit: Audit;
  staffAuth: StaffAuth;
  cookieName: string;
  /** HTTPS: the cookie is Secure (and its name `__Host-` prefixed). */
  secure: boolean;
};

const rawBody = (req: FastifyRequest): Buffer => (Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0));

export function registerAccountRoutes(app: FastifyInstance, deps: AccountRouteDeps): void {
  const { accounts, audit, staffAuth, cookieName, secure } = deps;
  const send = (reply: FastifyReply, a: HttpAnswer) => {
    if (a.headers) void reply.headers(a.headers);
    return reply.code(a.status).header('cache-control', 'no-store').send(a.body);
  };
  // No Max-Age: the browser forgets it when it closes; the hall ends it sooner (idle, absolute).
  const cookie = (value: string, maxAge?: number) =>
    [
      `${cookieName}=${value}`,
      'Path=/',
      'HttpOnly',
      'SameSite=Strict',
      ...(secure ? ['Secure'] : []),
      ...(maxAge !== undefined ? [`Max-Age=${maxAge}`] : []),
    ].join('; ');
  const me = (who: Staff, csrfToken: string | null): StaffMe => ({
    name: who.displayName ?? who.name,
    login: who.login ?? null,
    roles: who.roles ? [...who.roles] : null,
    jurisdictions: [...who.jurisdictions],
    jurisdiction: who.jurisdiction,
    csrfToken,
  });
  /** The cookie session's id, when the request is one (not a bearer token). */
  const sessionOf = (req: FastifyRequest): string | undefined =>
    req.headers.authorization === undefined ? cookieValue(req, cookieName) : undefined;

  app.post('/v1/staff/login', async (req, reply) => {
    // Login CSRF: a page elsewhere must not sign this browser in to an account of its choosing.
    const origin = req.headers.origin;
    if (origin !== undefined && origin !== `${req.protocol}://${req.headers.host ?? ''}`)
      return send(reply, csrfRefused());
    let body: unknown;
    try {
      body = JSON.parse(rawBody(req).toString('utf8'));
    } catch {
      return send(reply, notJson());
    }
    const parsed = staffLoginSchema.safeParse(body);
    if (!parsed.success) return send(reply, badRequest(describeIssues(parsed.error)));
    const r = await accounts.login(parsed.data.login, parsed.data.password, req.ip);
    if (!r.ok) {
      if (r.error === 'locked')
        return send(reply, {
          ...hallError(
            429,
            'locked',
            '登录失败次数过多，请稍后再试 (too many failed sign-ins; try again later)',
            {
              retryAfterSeconds: Math.ceil(r.retryAfterMs / 1000),
            },
          ),
          headers: { 'retry-after': String(Math.ceil(r.retryAfterMs / 1000)) },
        });
      return send(
        reply,
        hallError(401, 'bad-credentials', '登录名或密码错误 (wrong login name or password)'),
      );
    }
    void reply.header('set-cookie', cookie(r.sessionId));
    return send(reply, { status: 200, body: me(r.staff, accounts.csrfFor(r.sessionId)) });
  });

  app.post('/v1/staff/logout', async (req, reply) => {
    const who = await staffAuth(req, reply);
    if (!who) return reply;
    const sessionId = sessionOf(req);
    if (sessionId !== undefined) await accounts.logout(sessionId, req.ip);
    void reply.header('set-cookie', cookie('', 0));
    return send(reply, { status: 200, body: { ok: true } });
  });

  app.get('/v1/staff/me', async (req, reply) => {
    const who = await staffAuth(req, reply);
    if (!who) return reply;
    const sessionId = sessionOf(req);
    return send(reply, { status: 200, body: me(who, sessionId ? accounts.csrfFor(sessionId) : null) });
  });

  app.get(
    '/v1/staff/audit',
    async (
      req: FastifyRequest<{ Querystring: { before?: string; limit?: string; caseId?: string } }>,
      reply,
    ) => {
      const who = await staffAuth(req, reply, 'audit.read');
      if (!who) return reply;
      const { before, limit, caseId } = req.query;
      if (before !== undefined && !/^\d{1,15}$/.test(before))
        return send(reply, badRequest('before must be an entry id'));
      if (limit !== undefined && !/^\d{1,4}$/.test(limit))
        return send(reply, badRequest('limit must be 1–500'));
      const n = Math.min(Math.max(Number(limit ?? 100), 1), 500);
      // 管理员 reads the whole hall's log (sign-ins without a case too); everyone else their jurisdictions.
      const entries = await audit.page({
        jurisdictions: who.roles?.includes('admin') ? null : who.jurisdictions,
        ...(before !== undefined ? { before: Number(before) } : {}),
        ...(caseId !== undefined ? { caseId } : {}),
        limit: n,
      });
      const last = entries[entries.length - 1];
      const page: StaffAuditPage = { entries, next: entries.length === n && last ? last.id : null };
      return send(reply, { status: 200, body: page });
    },
  );
}
