/**
 * Migration 8: `applications.status` may only be one of the hall's case statuses
 * (HALL_CASE_STATUSES in src/shared/case-status.ts — the list is generated from it, one rule).
 *
 * SQLite cannot add a CHECK to an existing column, so the table is rebuilt the documented way
 * (https://www.sqlite.org/lang_altertable.html, "Making Other Kinds Of Table Schema Changes"):
 * create `applications_new` with the CHECK, copy every row, drop `applications`, rename, recreate
 * its index. `application_blobs`, `case_events` and `supplements` reference applications(id) by
 * name, so after the rename they reference the new table; `rebuildsTables` has the kit switch
 * foreign keys off around the transaction and run `foreign_key_check` before it commits.
 *
 * A row whose status is not in the list refuses the migration (the database stays at version 7
 * and the hall does not start) with the rows named: a status nobody knows cannot be mapped to a
 * real one without inventing what happened to the case, so an operator decides, sets each row
 * (`UPDATE applications SET status = '…' WHERE id = '…'`) and starts the hall again.
 *
 * Released: never edit it, add the next migration. If HALL_CASE_STATUSES changes, freeze this
 * migration to the list below in its test and add a migration that rebuilds the table again.
 */
import { HALL_CASE_STATUSES } from '../../../shared/case-status.js';
import type { Migration, SqliteDb } from '../../../sqlite/index.js';

/** The statuses as an SQL list: they are kebab-case words, checked so the SQL stays plain. */
function sqlList(values: readonly string[]): string {
  for (const v of values) if (!/^[a-z][a-z-]*$/.test(v)) throw new Error(`not a plain status word: ${v}`);
  return values.map((v) => `'${v}'`).join(', ');
}

const STATUSES = sqlList(HALL_CASE_STATUSES);
const COLUMNS = 'id, kiosk_id, entry_id, jurisdiction, item_code, status, payload, received_at, updated_at';
const SHOWN = 10;

function unknownStatuses(db: SqliteDb): string | null {
  const rows = db
    .prepare(`SELECT id, status FROM applications WHERE status NOT IN (${STATUSES}) ORDER BY id`)
    .all() as { id: string; status: string }[];
  if (rows.length === 0) return null;
  const named = rows
    .slice(0, SHOWN)
    .map((r) => `${r.id} (${JSON.stringify(r.status)})`)
    .join(', ');
  const more = rows.length > SHOWN ? `, and ${rows.length - SHOWN} more` : '';
  return (
    `${rows.length} application(s) have a status that is not one of ${HALL_CASE_STATUSES.join(', ')}: ` +
    `${named}${more}. Set each to the status the case really has ` +
    `(UPDATE applications SET status = '…' WHERE id = '…') and start the hall again`
  );
}

export const migration008: Migration = {
  version: 8,
  name: 'applications.status is a hall case status',
  rebuildsTables: true,
  refuseIf: unknownStatuses,
  sql: /* sql */ `
CREATE TABLE applications_new (
  id            TEXT PRIMARY KEY,
  kiosk_id      TEXT NOT NULL REFERENCES kiosks(id),
  entry_id      INTEGER NOT NULL REFERENCES entries(id),
  jurisdiction  TEXT NOT NULL,
  item_code     TEXT NOT NULL,
  status        TEXT NOT NULL CHECK (status IN (${STATUSES})),
  payload       TEXT NOT NULL CHECK (json_valid(payload)),
  received_at   TEXT NOT NULL,
  updated_at    TEXT NOT NULL
) STRICT;
INSERT INTO applications_new (${COLUMNS}) SELECT ${COLUMNS} FROM applications;
DROP TABLE applications;
ALTER TABLE applications_new RENAME TO applications;
CREATE INDEX applications_jurisdiction ON applications(jurisdiction, status);
`,
};
