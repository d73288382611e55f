/**
 * Staff bearer tokens (stored as their sha256), each bound to one jurisdiction. A token is known by
 * its id — the first 12 hex digits of its hash, stable and not a credential — for listing and
 * revoking (`npm run cli -- hall staff list|revoke`); it expires a configured number of hours after
 * it was created (staff.ts), so no migration was needed.
 */
import type { HallSql } from './sql.js';

export type StaffMember = { name: string; jurisdiction: string };
export type StaffTokenRow = {
  id: string;
  name: string;
  jurisdiction: string;
  createdAt: string;
  revokedAt: string | null;
};

export const STAFF_TOKEN_ID_LENGTH = 12;

const Q = {
  insToken: 'INSERT INTO staff_tokens (token_hash, name, jurisdiction, created_at) VALUES (?, ?, ?, ?)',
  token:
    'SELECT name, jurisdiction FROM staff_tokens WHERE token_hash = ? AND revoked_at IS NULL AND created_at > ?',
  list: `SELECT substr(token_hash, 1, ${STAFF_TOKEN_ID_LENGTH}) AS id, name, jurisdiction,
      created_at AS createdAt, revoked_at AS revokedAt
    FROM staff_tokens ORDER BY created_at, token_hash`,
  revoke: `UPDATE staff_tokens SET revoked_at = ?
    WHERE substr(token_hash, 1, ${STAFF_TOKEN_ID_LENGTH}) = ? AND revoked_at IS NULL`,
  countById: `SELECT count(*) FROM staff_tokens WHERE substr(token_hash, 1, ${STAFF_TOKEN_ID_LENGTH}) = ?`,
};

export function createStaffStore(sql: HallSql) {
  return {
    async addToken(t: { tokenHash: string; name: string; jurisdiction: string; at: string }): Promise<void> {
      await sql.run(Q.insToken, [t.tokenHash, t.name, t.jurisdiction, t.at]);
    },
    /** The holder of a token that is not revoked and was created after `createdAfter` (ISO). */
    byTokenHash: (tokenHash: string, createdAfter: string): Promise<StaffMember | undefined> =>
      sql.get<StaffMember>(Q.token, [tokenHash, createdAfter]),
    list: (): Promise<StaffTokenRow[]> => sql.all<StaffTokenRow>(Q.list),
    /** How many tokens have this id (more than one: the id is ambiguous and nothing is revoked). */
    countById: async (id: string): Promise<number> => (await sql.value<number>(Q.countById, [id])) ?? 0,
    /** Revokes the token with this id; false when there is none not yet revoked. */
    revoke: async (id: string, at: string): Promise<boolean> =>
      (await sql.run(Q.revoke, [at, id])).changes > 0,
  };
}

export type StaffStore = ReturnType<typeof createStaffStore>;
