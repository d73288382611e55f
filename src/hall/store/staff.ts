/**
 * Staff bearer tokens (stored as their sha256), each bound to one jurisdiction. A token is known by
 * its id — the first 12 hex digits of its hash, stable and not a credential — for listing and
 * revoking (`npm run cli -- hall staff list|revoke`); it expires a configured number of hours after
 * it was created (staff.ts), so no migration was needed.
 */
import type { HallDb } from './db.js';

export type StaffMember = { name: string; jurisdiction: string };
export type StaffTokenRow = {
  id: string;
  name: string;
  jurisdiction: string;
  createdAt: string;
  revokedAt: string | null;
};

export const STAFF_TOKEN_ID_LENGTH = 12;

export function createStaffStore(db: HallDb) {
  const q = {
    insToken: db.prepare(
      'INSERT INTO staff_tokens (token_hash, name, jurisdiction, created_at) VALUES (?, ?, ?, ?)',
    ),
    token: db.prepare(
      'SELECT name, jurisdiction FROM staff_tokens WHERE token_hash = ? AND revoked_at IS NULL AND created_at > ?',
    ),
    list: db.prepare(
      `SELECT substr(token_hash, 1, ${STAFF_TOKEN_ID_LENGTH}) AS id, name, jurisdiction,
              created_at AS createdAt, revoked_at AS revokedAt
         FROM staff_tokens ORDER BY created_at, token_hash`,
    ),
    revoke: db.prepare(
      `UPDATE staff_tokens SET revoked_at = ?
        WHERE substr(token_hash, 1, ${STAFF_TOKEN_ID_LENGTH}) = ? AND revoked_at IS NULL`,
    ),
    countById: db.prepare(
      `SELECT count(*) FROM staff_tokens WHERE substr(token_hash, 1, ${STAFF_TOKEN_ID_LENGTH}) = ?`,
    ),
  };
  return {
    addToken(t: { tokenHash: string; name: string; jurisdiction: string; at: string }): void {
      q.insToken.run(t.tokenHash, t.name, t.jurisdiction, t.at);
    },
    /** The holder of a token that is not revoked and was created after `createdAfter` (ISO). */
    byTokenHash: (tokenHash: string, createdAfter: string): StaffMember | undefined =>
      q.token.get(tokenHash, createdAfter) as StaffMember | undefined,
    list: (): StaffTokenRow[] => q.list.all() as StaffTokenRow[],
    /** How many tokens have this id (more than one: the id is ambiguous and nothing is revoked). */
    countById: (id: string): number => q.countById.pluck().get(id) as number,
    /** Revokes the token with this id; false when there is none not yet revoked. */
    revoke: (id: string, at: string): boolean => q.revoke.run(at, id).changes > 0,
  };
}

export type StaffStore = ReturnType<typeof createStaffStore>;
