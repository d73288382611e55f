/**
 * Staff accounts and their sessions (migration 13; src/hall/accounts.ts holds the rules). A session
 * is found by the sha256 of its id; the id itself is never stored.
 */
import type { StaffRole } from '../../shared/staff-roles.js';
import type { HallSql } from './sql.js';

export type AccountRow = {
  id: number;
  login: string;
  displayName: string;
  passwordHash: string;
  roles: StaffRole[];
  jurisdictions: string[];
  disabled: boolean;
  createdAt: string;
  updatedAt: string;
};

export type SessionRow = {
  accountId: number;
  createdAt: string;
  lastSeenAt: string;
  revokedAt: string | null;
};

type RawAccount = Omit<AccountRow, 'roles' | 'jurisdictions' | 'disabled'> & {
  roles: string;
  jurisdictions: string;
  disabled: number;
};

const ACCOUNT_COLUMNS = `id, login, display_name AS displayName, password_hash AS passwordHash, roles,
  jurisdictions, disabled, created_at AS createdAt, updated_at AS updatedAt`;

const fromRaw = (r: RawAccount): AccountRow => ({
  ...r,
  // Written only by this module from checked values (accounts.ts validates roles and codes).
  roles: JSON.parse(r.roles) as StaffRole[],
  jurisdictions: JSON.parse(r.jurisdictions) as string[],
  disabled: r.disabled === 1,
});

const Q = {
  insert: `INSERT INTO staff_accounts (login, display_name, password_hash, roles, jurisdictions, created_at, updated_at)
    VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`,
  byLogin: `SELECT ${ACCOUNT_COLUMNS} FROM staff_accounts WHERE login = ?`,
  byId: `SELECT ${ACCOUNT_COLUMNS} FROM staff_accounts WHERE id = ?`,
  list: `SELECT ${ACCOUNT_COLUMNS} FROM staff_accounts ORDER BY login`,
  setPassword: 'UPDATE staff_accounts SET password_hash = ?, updated_at = ? WHERE id = ?',
  disable: 'UPDATE staff_accounts SET disabled = 1, updated_at = ? WHERE id = ? AND disabled = 0',
  insSession:
    'INSERT INTO staff_sessions (id_hash, account_id, created_at, last_seen_at) VALUES (?, ?, ?, ?)',
  session: `SELECT account_id AS accountId, created_at AS createdAt, last_seen_at AS lastSeenAt,
      revoked_at AS revokedAt FROM staff_sessions WHERE id_hash = ?`,
  touch: 'UPDATE staff_sessions SET last_seen_at = ? WHERE id_hash = ? AND revoked_at IS NULL',
  revoke: 'UPDATE staff_sessions SET revoked_at = ? WHERE id_hash = ? AND revoked_at IS NULL',
  revokeAll: 'UPDATE staff_sessions SET revoked_at = ? WHERE account_id = ? AND revoked_at IS NULL',
};

export function createAccountStore(sql: HallSql) {
  return {
    async insert(a: Omit<AccountRow, 'id' | 'disabled' | 'updatedAt'>): Promise<number> {
      const id = await sql.value<number>(Q.insert, [
        a.login,
        a.displayName,
        a.passwordHash,
        JSON.stringify(a.roles),
        JSON.stringify(a.jurisdictions),
        a.createdAt,
        a.createdAt,
      ]);
      return Number(id);
    },
    async byLogin(login: string): Promise<AccountRow | undefined> {
      const r = await sql.get<RawAccount>(Q.byLogin, [login]);
      return r ? fromRaw(r) : undefined;
    },
    async byId(id: number): Promise<AccountRow | undefined> {
      const r = await sql.get<RawAccount>(Q.byId, [id]);
      return r ? fromRaw(r) : undefined;
    },
    list: async (): Promise<AccountRow[]> => (await sql.all<RawAccount>(Q.list)).map(fromRaw),
    async setPassword(id: number, hash: string, at: string): Promise<void> {
      await sql.run(Q.setPassword, [hash, at, id]);
    },
    /** False when it was already disabled. */
    disable: async (id: number, at: string): Promise<boolean> =>
      (await sql.run(Q.disable, [at, id])).changes > 0,
    async addSession(idHash: string, accountId: number, at: string): Promise<void> {
      await sql.run(Q.insSession, [idHash, accountId, at, at]);
    },
    session: (idHash: string): Promise<SessionRow | undefined> => sql.get<SessionRow>(Q.session, [idHash]),
    async touchSession(idHash: string, at: string): Promise<void> {
      await sql.run(Q.touch, [at, idHash]);
    },
    revokeSession: async (idHash: string, at: string): Promise<boolean> =>
      (await sql.run(Q.revoke, [at, idHash])).changes > 0,
    /** Revokes every open session of an account; how many. */
    revokeSessions: async (accountId: number, at: string): Promise<number> =>
      (await sql.run(Q.revokeAll, [at, accountId])).changes,
  };
}

export type AccountStore = ReturnType<typeof createAccountStore>;
