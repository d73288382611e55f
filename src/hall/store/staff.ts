/** Staff bearer tokens (stored as their sha256), each bound to one jurisdiction. */
import type { HallDb } from './db.js';

export type StaffMember = { name: string; jurisdiction: string };

export function createStaffStore(db: HallDb) {
  const q = {
    insToken: db.prepare(
      'INSERT INTO staff_tokens (token_hash, name, jurisdiction, created_at) VALUES (?, ?, ?, ?)',
    ),
    token: db.prepare(
      'SELECT name, jurisdiction FROM staff_tokens WHERE token_hash = ? AND revoked_at IS NULL',
    ),
  };
  return {
    addToken(t: { tokenHash: string; name: string; jurisdiction: string; at: string }): void {
      q.insToken.run(t.tokenHash, t.name, t.jurisdiction, t.at);
    },
    /** The holder of a token that is not revoked. */
    byTokenHash: (tokenHash: string): StaffMember | undefined =>
      q.token.get(tokenHash) as StaffMember | undefined,
  };
}

export type StaffStore = ReturnType<typeof createStaffStore>;
