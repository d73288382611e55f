/**
 * Staff accounts and sessions at the hall's desk (docs/security.md, "The staff desk"): passwords
 * hashed with scrypt, sessions by a random id kept in an HttpOnly cookie (stored only as its sha256),
 * a CSRF token derived from the session, and login throttling with a doubling lock-out. Created and
 * reset on the hall machine (`npm run cli -- hall staff add|reset|disable`); the server's login,
 * logout and `staffAuth` (staff-auth.ts) use the rest.
 */
import { createHash, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { err, ok, type Result } from '../shared/result.js';
import { STAFF_ROLES, type StaffRole } from '../shared/staff-roles.js';
import { jurisdictionSchema } from '../shared/wire/index.js';
import { createAudit, type Audit } from './audit.js';
import type { Staff } from './staff.js';
import { createAccountStore, hallSqlOf, type AccountRow, type HallDatabase } from './store/index.js';

/**
 * scrypt cost: N = 2^15, r = 8, p = 1 (32 MiB, about 50–100 ms on the hall's machine), a 16-byte
 * random salt per account and a 32-byte key. The parameters are written with each hash
 * (`scrypt$N$r$p$salt$key`), so raising them later leaves older hashes verifiable.
 */
export const SCRYPT_PARAMS = { N: 32768, r: 8, p: 1, keyLength: 32, saltBytes: 16 } as const;

/** A signed-in session ends after this long without a request … */
export const SESSION_IDLE_MS = 30 * 60_000;
/** … and this long after sign-in, whatever happens. */
export const SESSION_ABSOLUTE_MS = 12 * 3600_000;

export const LOCKOUT = {
  /** Failed logins per login name in the window before it is locked … */
  perLogin: 5,
  /** … and per address (many names tried from one place). */
  perAddress: 20,
  windowMs: 15 * 60_000,
  /** The first lock-out; each further one doubles, up to `maxCooldownMs`. */
  baseCooldownMs: 60_000,
  maxCooldownMs: 3600_000,
  /** A name or address without a lock-out this long starts again from the first cool-down. */
  forgetAfterMs: 24 * 3600_000,
} as const;

export const PASSWORD_MIN_LENGTH = 10;
const PASSWORD_MAX_LENGTH = 200;
const LOGIN_PATTERN = /^[a-z0-9][a-z0-9._-]{1,63}$/;

const b64 = (b: Buffer) => b.toString('base64url');
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

function derive(
  password: string,
  salt: Buffer,
  n: number,
  r: number,
  p: number,
  len: number,
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, len, { N: n, r, p, maxmem: 256 * n * r }, (e, key) =>
      e ? reject(e) : resolve(key),
    );
  });
}

export async function hashPassword(password: string): Promise<string> {
  const { N, r, p, keyLength, saltBytes } = SCRYPT_PARAMS;
  const salt = randomBytes(saltBytes);
  const key = await derive(password, salt, N, r, p, keyLength);
  return `scrypt$${N}$${r}$${p}$${b64(salt)}$${b64(key)}`;
}

/** Constant-time comparison of the derived key; a malformed stored hash never verifies. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const m = /^scrypt\$(\d+)\$(\d+)\$(\d+)\$([A-Za-z0-9_-]+)\$([A-Za-z0-9_-]+)$/.exec(stored);
  if (!m) return false;
  const [n, r, p] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const want = Buffer.from(m[5] ?? '', 'base64url');
  if (n < 2 || n > 2 ** 20 || r < 1 || r > 32 || p < 1 || p > 16 || want.length < 16) return false;
  const got = await derive(password, Buffer.from(m[4] ?? '', 'base64url'), n, r, p, want.length);
  return timingSafeEqual(got, want);
}

/** What is wrong with a password, in Chinese and English; empty when it may be used. */
export function passwordProblems(password: string, login: string): string[] {
  const problems: string[] = [];
  const chars = [...password];
  if (chars.length < PASSWORD_MIN_LENGTH)
    problems.push(`密码至少 ${PASSWORD_MIN_LENGTH} 个字符 (at least ${PASSWORD_MIN_LENGTH} characters)`);
  if (chars.length > PASSWORD_MAX_LENGTH)
    problems.push(`密码至多 ${PASSWORD_MAX_LENGTH} 个字符 (at most ${PASSWORD_MAX_LENGTH} characters)`);
  const kinds = [/\p{L}/u, /\p{N}/u, /[^\p{L}\p{N}]/u].filter((re) => re.test(password)).length;
  if (kinds < 2)
    problems.push('密码须包含字母、数字、符号中的至少两类 (use at least two of letters, digits and symbols)');
  if (new Set(chars).size < 4) problems.push('密码重复字符过多 (too few different characters)');
  if (login.length > 0 && password.toLowerCase().includes(login.toLowerCase()))
    problems.push('密码不能包含登录名 (must not contain the login name)');
  return problems;
}

/** An account as `hall staff accounts` lists it (never the hash). */
export type AccountInfo = {
  login: string;
  displayName: string;
  roles: StaffRole[];
  jurisdictions: string[];
  disabled: boolean;
  createdAt: string;
  updatedAt: string;
};

const info = (a: AccountRow): AccountInfo => ({
  login: a.login,
  displayName: a.displayName,
  roles: a.roles,
  jurisdictions: a.jurisdictions,
  disabled: a.disabled,
  createdAt: a.createdAt,
  updatedAt: a.updatedAt,
});

export type NewAccount = {
  login: string;
  displayName: string;
  roles: readonly string[];
  jurisdictions: readonly string[];
  password: string;
};

/**
 * Failed attempts per key (a login name, an address) with a lock-out that doubles each time it is
 * reached again, up to an hour. In memory: a restart forgets it (the hall restarts rarely; an
 * attacker cannot restart it). Bounded to `maxKeys` keys, the oldest forgotten first.
 */
export function createLockout(o: {
  max: number;
  clock: () => Date;
  windowMs?: number;
  baseCooldownMs?: number;
  maxCooldownMs?: number;
  maxKeys?: number;
}) {
  const windowMs = o.windowMs ?? LOCKOUT.windowMs;
  const base = o.baseCooldownMs ?? LOCKOUT.baseCooldownMs;
  const cap = o.maxCooldownMs ?? LOCKOUT.maxCooldownMs;
  const maxKeys = o.maxKeys ?? 10_000;
  type State = { failures: number[]; lockedUntil: number; strikes: number; lastLock: number };
  const keys = new Map<string, State>();
  const get = (key: string, now: number): State => {
    let s = keys.get(key);
    if (s && s.strikes > 0 && now - s.lastLock > LOCKOUT.forgetAfterMs) s = undefined;
    s ??= { failures: [], lockedUntil: 0, strikes: 0, lastLock: 0 };
    s.failures = s.failures.filter((t) => now - t < windowMs);
    keys.delete(key);
    keys.set(key, s);
    if (keys.size > maxKeys) {
      const first = keys.keys().next();
      if (!first.done) keys.delete(first.value);
    }
    return s;
  };
  return {
    /** Milliseconds this key stays locked, 0 when it may try. */
    lockedForMs(key: string): number {
      const s = keys.get(key);
      return s ? Math.max(0, s.lockedUntil - o.clock().getTime()) : 0;
    },
    /** Counts a failure; the cool-down it started (ms) when this one locked the key, else 0. */
    fail(key: string): number {
      const now = o.clock().getTime();
      const s = get(key, now);
      s.failures.push(now);
      if (s.failures.length < o.max) return 0;
      s.strikes += 1;
      const cooldown = Math.min(base * 2 ** (s.strikes - 1), cap);
      s.lockedUntil = now + cooldown;
      s.lastLock = now;
      s.failures = [];
      return cooldown;
    },
    /** A successful login: the name's failures and strikes are forgotten. */
    clear(key: string): void {
      keys.delete(key);
    },
  };
}

export type LoginOutcome =
  | { ok: true; sessionId: string; staff: Staff }
  | { ok: false; error: 'bad-credentials' }
  | { ok: false; error: 'locked'; retryAfterMs: number };

export type AccountsDeps = {
  db: HallDatabase;
  clock: () => Date;
  audit?: Audit;
  idleMs?: number;
  absoluteMs?: number;
  /** Overrides for tests (shorter cool-downs are not needed: the clock is a seam). */
  lockout?: { perLogin?: number; perAddress?: number };
};

export function createAccounts(deps: AccountsDeps) {
  const { db, clock } = deps;
  const sql = hallSqlOf(db);
  const store = createAccountStore(sql);
  const audit = deps.audit ?? createAudit({ db, clock });
  const idleMs = deps.idleMs ?? SESSION_IDLE_MS;
  const absoluteMs = deps.absoluteMs ?? SESSION_ABSOLUTE_MS;
  const byLogin = createLockout({ max: deps.lockout?.perLogin ?? LOCKOUT.perLogin, clock });
  const byAddress = createLockout({ max: deps.lockout?.perAddress ?? LOCKOUT.perAddress, clock });
  // Compared against for a name that does not exist, so the answer takes as long as for one that does.
  let dummy: Promise<string> | null = null;
  const dummyHash = () => (dummy ??= hashPassword(b64(randomBytes(18))));
  const now = () => clock().toISOString();

  function checkNew(a: Omit<NewAccount, 'password'>): Result<AccountInfo['roles'], string> {
    if (!LOGIN_PATTERN.test(a.login))
      return err(
        `登录名须为 2–64 个小写字母、数字或 . _ - (login name: 2–64 lowercase letters, digits, . _ -): "${a.login}"`,
      );
    const name = a.displayName.trim();
    if (name.length < 1 || name.length > 64)
      return err('姓名须为 1–64 个字符 (display name: 1–64 characters)');
    if (a.roles.length === 0) return err('至少一个角色 (at least one role)');
    const bad = a.roles.find((r) => !(STAFF_ROLES as readonly string[]).includes(r));
    if (bad !== undefined) return err(`未知角色 (unknown role) "${bad}": one of ${STAFF_ROLES.join(', ')}`);
    if (a.jurisdictions.length === 0) return err('至少一个属地 (at least one jurisdiction)');
    const badJ = a.jurisdictions.find((j) => !jurisdictionSchema.safeParse(j).success);
    if (badJ !== undefined)
      return err(`属地代码错误 (bad jurisdiction code) "${badJ}": expected 6, 9 or 12 digits`);
    return ok([...new Set(a.roles)] as StaffRole[]);
  }

  function staffOf(a: AccountRow): Staff {
    return {
      name: a.displayName,
      displayName: a.displayName,
      login: a.login,
      jurisdiction: a.jurisdictions[0] ?? '',
      jurisdictions: a.jurisdictions,
      roles: a.roles,
    };
  }

  /**
   * The account signed in with this session id, or null when the session is unknown, revoked,
   * idle too long, past its absolute limit, or its account disabled. A live session is touched.
   */
  async function session(sessionId: string): Promise<Staff | null> {
    if (!/^[A-Za-z0-9_-]{40,64}$/.test(sessionId)) return null;
    const idHash = sha256(sessionId);
    const s = await store.session(idHash);
    if (!s || s.revokedAt !== null) return null;
    const t = clock().getTime();
    if (t - Date.parse(s.lastSeenAt) >= idleMs || t - Date.parse(s.createdAt) >= absoluteMs) return null;
    const a = await store.byId(s.accountId);
    if (!a || a.disabled) return null;
    await store.touchSession(idHash, new Date(t).toISOString());
    return staffOf(a);
  }

  /** The CSRF token of a session: derived from its id (which only the cookie holds), never stored. */
  const csrfFor = (sessionId: string): string =>
    b64(createHash('sha256').update(`zizhu-staff-csrf\0${sessionId}`).digest());

  return {
    async add(a: NewAccount): Promise<Result<AccountInfo, string>> {
      const roles = checkNew(a);
      if (!roles.ok) return roles;
      const problems = passwordProblems(a.password, a.login);
      if (problems.length > 0) return err(problems.join('; '));
      if (await store.byLogin(a.login)) return err(`登录名已存在 (login name already exists): ${a.login}`);
      const passwordHash = await hashPassword(a.password);
      // Checked again after the (async) hash: the UNIQUE constraint would refuse it anyway.
      const at = now();
      const jurisdictions = [...new Set(a.jurisdictions)];
      const row = await sql.transaction(async () => {
        if (await store.byLogin(a.login)) return null;
        await store.insert({
          login: a.login,
          displayName: a.displayName.trim(),
          passwordHash,
          roles: roles.value,
          jurisdictions,
          createdAt: at,
        });
        await audit.record({
          actor: 'cli',
          action: 'account.add',
          jurisdiction: jurisdictions[0] ?? null,
          detail: { login: a.login, roles: roles.value.join(',') },
        });
        return (await store.byLogin(a.login)) ?? null;
      });
      if (row === null) return err(`登录名已存在 (login name already exists): ${a.login}`);
      return row ? ok(info(row)) : err('account not stored');
    },

    /** A new password; every open session of the account ends. */
    async reset(login: string, password: string): Promise<Result<{ revoked: number }, string>> {
      const a = await store.byLogin(login);
      if (!a) return err(`没有此登录名 (no such account): ${login}`);
      const problems = passwordProblems(password, login);
      if (problems.length > 0) return err(problems.join('; '));
      const hash = await hashPassword(password);
      return sql.transaction(async () => {
        const at = now();
        await store.setPassword(a.id, hash, at);
        const revoked = await store.revokeSessions(a.id, at);
        await audit.record({
          actor: 'cli',
          action: 'account.reset',
          jurisdiction: a.jurisdictions[0] ?? null,
          detail: { login, sessionsEnded: revoked },
        });
        return ok({ revoked });
      });
    },

    /** The account can no longer sign in; every open session ends now. */
    async disable(login: string): Promise<Result<{ revoked: number }, string>> {
      const a = await store.byLogin(login);
      if (!a) return err(`没有此登录名 (no such account): ${login}`);
      return sql.transaction(async () => {
        const at = now();
        if (!(await store.disable(a.id, at))) return err(`账号已停用 (already disabled): ${login}`);
        const revoked = await store.revokeSessions(a.id, at);
        await audit.record({
          actor: 'cli',
          action: 'account.disable',
          jurisdiction: a.jurisdictions[0] ?? null,
          detail: { login, sessionsEnded: revoked },
        });
        return ok({ revoked });
      });
    },

    list: async (): Promise<AccountInfo[]> => (await store.list()).map(info),

    /**
     * Checks a login name and password. Locked names or addresses are answered `locked` without a
     * check; an unknown name is compared with a dummy hash so the answer's timing does not tell
     * which names exist; a disabled account is refused like a wrong password.
     */
    async login(login: string, password: string, address: string): Promise<LoginOutcome> {
      const key = login.toLowerCase();
      const wait = Math.max(byLogin.lockedForMs(key), byAddress.lockedForMs(address));
      if (wait > 0) return { ok: false, error: 'locked', retryAfterMs: wait };
      const account = await store.byLogin(key);
      const verified = await verifyPassword(password, account?.passwordHash ?? (await dummyHash()));
      if (account && !account.disabled && verified) {
        byLogin.clear(key);
        const sessionId = b64(randomBytes(32));
        await sql.transaction(async () => {
          await store.addSession(sha256(sessionId), account.id, now());
          await audit.record({
            actor: account.login,
            action: 'staff.login',
            jurisdiction: account.jurisdictions[0] ?? null,
            address,
          });
        });
        return { ok: true, sessionId, staff: staffOf(account) };
      }
      // The typed name is written only when it is an account's: a password typed into the name
      // field must not end up in the log.
      const actor = account ? account.login : '(unknown)';
      const jurisdiction = account?.jurisdictions[0] ?? null;
      await audit.record({
        actor,
        action: 'staff.login-failed',
        jurisdiction,
        address,
        detail: account?.disabled ? { reason: 'disabled' } : {},
      });
      const locked = Math.max(byLogin.fail(key), byAddress.fail(address));
      if (locked > 0) {
        await audit.record({
          actor,
          action: 'staff.locked',
          jurisdiction,
          address,
          detail: { cooldownSeconds: Math.ceil(locked / 1000) },
        });
        return { ok: false, error: 'locked', retryAfterMs: locked };
      }
      return { ok: false, error: 'bad-credentials' };
    },

    session,

    csrfFor,

    /** Constant-time check of the x-csrf-token a cookie session sent. */
    csrfMatches(sessionId: string, sent: string | undefined): boolean {
      if (sent === undefined) return false;
      const want = Buffer.from(csrfFor(sessionId));
      const got = Buffer.from(sent);
      return got.length === want.length && timingSafeEqual(got, want);
    },

    /** Ends a session (sign out); written to the audit log when it was open. */
    async logout(sessionId: string, address: string): Promise<boolean> {
      const who = await session(sessionId);
      const ended = await store.revokeSession(sha256(sessionId), now());
      if (ended && who)
        await audit.record({
          actor: who.login ?? who.name,
          action: 'staff.logout',
          jurisdiction: who.jurisdiction,
          address,
        });
      return ended;
    },
  };
}

export type Accounts = ReturnType<typeof createAccounts>;
