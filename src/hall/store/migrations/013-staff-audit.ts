/**
 * Migration 13, the staff desk's audit log (docs/security.md, "The staff desk"): who did what, when,
 * from where — every staff action on a case and every view of a case's full personal data — readable
 * by 督查. Append-only: the hall never updates or deletes a row. `detail` is a small JSON object that
 * never holds personal data (codes, ids, counts). Not yet released: it may still grow until it lands.
 */
import type { Migration } from '../../../sqlite/index.js';

export const migration013: Migration = {
  version: 13,
  name: 'staff audit log',
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
`,
};
