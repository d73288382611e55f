/**
 * Staff accounts and their sessions (migration 13; src/hall/accounts.ts holds the rules). A session
 * is found by the sha256 of its id; the id itself is never stored.
 */
import type { StaffRole } from '../../shared/staff-roles.js';
import type { HallDb } from './db.js';

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

export function createAccountStore(db: HallDb) {
  const q = {
    insert: db.prepare(
      `INSERT INTO staff_accounts (login, display_name, password_hash, roles, jurisdictions, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ),
    byLogin: db.prepare(`SELECT ${ACCOUNT_COLUMNS} FROM staff_accounts WHERE login = ?`),
    byId: db.prepare(`SELECT ${ACCOUNT_COLUMNS} FROM staff_accounts WHERE id = ?`),
    list: db.prepare(`SELECT ${ACCOUNT_COLUMNS} FROM staff_accounts ORDER BY login`),
    setPassword: db.prepare('UPDATE staff_accounts SET password_hash = ?, updated_at = ? WHERE id = ?'),
    disable: db.prepare(
      'UPDATE staff_accounts SET disabled = 1, updated_at = ? WHERE id = ? AND disabled = 0',
    ),
    insSession: db.prepare(
      'INSERT INTO staff_sessions (id_hash, account_id, created_at, last_seen_at) VALUES (?, ?, ?, ?)',
    ),
    session: db.prepare(
      `SELECT account_id AS accountId, created_at AS createdAt, last_seen_at AS lastSeenAt,
              revoked_at AS revokedAt FROM staff_sessions WHERE id_hash = ?`,
    ),
    touch: db.prepare('UPDATE staff_sessions SET last_seen_at = ? WHERE id_hash = ? AND revoked_at IS NULL'),
    revoke: db.prepare('UPDATE staff_sessions SET revoked_at = ? WHERE id_hash = ? AND revoked_at IS NULL'),
    revokeAll: db.prepare(
      'UPDATE staff_sessions SET revoked_at = ? WHERE account_id = ? AND revoked_at IS NULL',
    ),
  };
  return {
    insert(a: Omit<AccountRow, 'id' | 'disabled' | 'updatedAt'>): number {
      return Number(
        q.insert.run(
          a.login,
          a.displayName,
          a.passwordHash,
          JSON.stringify(a.roles),
          JSON.stringify(a.jurisdictions),
          a.createdAt,
          a.createdAt,
        ).lastInsertRowid,
      );
    },
    byLogin(login: string): AccountRow | undefined {
      const r = q.byLogin.get(login) as RawAccount | undefined;
      return r ? fromRaw(r) : undefined;
    },
    byId(id: number): AccountRow | undefined {
      const r = q.byId.get(id) as RawAccount | undefined;
      return r ? fromRaw(r) : undefined;
    },
    list: (): AccountRow[] => (q.list.all() as RawAccount[]).map(fromRaw),
    setPassword: (id: number, hash: string, at: string): void => void q.setPassword.run(hash, at, id),
    /** False when it was already disabled. */
    disable: (id: number, at: string): boolean => q.disable.run(at, id).changes > 0,
    addSession: (idHash: string, accountId: number, at: string): void =>
      void q.insSession.run(idHash, accountId, at, at),
    session: (idHash: string): SessionRow | undefined => q.session.get(idHash) as SessionRow | undefined,
    touchSession: (idHash: string, at: string): void => void q.touch.run(at, idHash),
    revokeSession: (idHash: string, at: string): boolean => q.revoke.run(at, idHash).changes > 0,
    /** Revokes every open session of an account; how many. */
    revokeSessions: (accountId: number, at: string): number => q.revokeAll.run(at, accountId).changes,
  };
}

export type AccountStore = ReturnType<typeof createAccountStore>;
