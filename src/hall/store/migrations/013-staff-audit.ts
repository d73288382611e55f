/**
 * Migration 13, the staff desk's audit log (docs/security.md, "The staff desk"): who did what, when,
 * from where — every staff action on a case and every view of a case's full personal data — readable
 * by 督查. Append-only: the hall never updates or deletes a row. `detail` is a small JSON object that
 * never holds personal data (codes, ids, counts). Not yet released: it may still grow until it lands.
 *
 * Also the desk's staff accounts and their sessions (src/hall/accounts.ts): a login name, a display
 * name, an scrypt password hash (`scrypt$N$r$p$salt$hash`, the parameters kept with each hash so they
 * can be raised later), roles and jurisdictions as JSON arrays (each at least one), a disabled flag.
 * A session is stored as the sha256 of its id (the cookie), never the id; it ends when idle, at its
 * absolute limit, or when revoked (logout, disable, password reset).
 */
import type { Migration } from '../../../sqlite/index.js';

export const migration013: Migration = {
  version: 13,
  name: 'staff audit log, accounts and sessions',
  sql: /* sql */ `
CREATE TABLE staff_audit (
  id            INTEGER PRIMARY KEY,
  at            TEXT NOT NULL,
  actor         TEXT NOT NULL,
  action        TEXT NOT NULL,
  jurisdiction  TEXT,
  case_id       TEXT,
  address       TEXT,
  detail        TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(detail))
) STRICT;
CREATE INDEX staff_audit_at ON staff_audit (at);
CREATE INDEX staff_audit_case ON staff_audit (case_id) WHERE case_id IS NOT NULL;
CREATE TRIGGER staff_audit_no_update BEFORE UPDATE ON staff_audit
  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER staff_audit_no_delete BEFORE DELETE ON staff_audit
  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;

CREATE TABLE staff_accounts (
  id             INTEGER PRIMARY KEY,
  login          TEXT NOT NULL UNIQUE CHECK (length(login) BETWEEN 2 AND 64),
  display_name   TEXT NOT NULL CHECK (length(display_name) BETWEEN 1 AND 64),
  password_hash  TEXT NOT NULL,
  roles          TEXT NOT NULL CHECK (json_valid(roles) AND json_array_length(roles) >= 1),
  jurisdictions  TEXT NOT NULL CHECK (json_valid(jurisdictions) AND json_array_length(jurisdictions) >= 1),
  disabled       INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
  created_at     TEXT NOT NULL,
  updated_at     TEXT NOT NULL
) STRICT;

CREATE TABLE staff_sessions (
  id_hash        TEXT PRIMARY KEY,
  account_id     INTEGER NOT NULL REFERENCES staff_accounts (id),
  created_at     TEXT NOT NULL,
  last_seen_at   TEXT NOT NULL,
  revoked_at     TEXT
) STRICT;
CREATE INDEX staff_sessions_account ON staff_sessions (account_id) WHERE revoked_at IS NULL;
`,
};
