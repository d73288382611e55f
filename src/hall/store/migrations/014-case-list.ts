/**
 * Migration 14, the staff desk's case list (docs/hall-store.md, "Migration 14"; src/hall/case-list.ts).
 *
 * `case_keys`: the keys a case is found by — 受理编号, the applicant's name, ID number and phone numbers
 * (the delivery phone and any form value that is a mainland mobile number) — each as `zk_lookup(...)`,
 * the hall's keyed hash (HMAC), never the value: a search hashes what staff typed and looks it up, so
 * it never opens the sealed payloads. Written by a trigger when a case is stored (its payload opened
 * once more, at ingest) and backfilled here for the cases already held. The normalisation (trim,
 * upper case for 受理编号 and ID number) is `caseKeyValue` in src/hall/case-list.ts: keep both alike.
 *
 * On applications: `deadline` (the promised day with closed 补正 pauses added; null while paused or
 * unknown) and `receipt_day` (收件 day) for the 电子监察 light, `assigned_to` (whose staff action on the
 * case came first: the "mine / unassigned" view), and `listed_at` — null when those three must be
 * worked out again (a new case, a status change, a staff action, a supplement: the triggers below);
 * the case list does that with the hall's calendar at start and before it answers. Indexes serve the
 * list's keyset pages. Not yet released: it may still grow until it lands.
 */
import type { Migration } from '../../../sqlite/index.js';

/** The fixed keys of one payload `j` as [kind, value] pairs (json_each over them). */
const FIXED_KEYS = (j: string) => /* sql */ `json_array(
    json_array('receipt', upper(trim(json_extract(${j}, '$.receiptNo')))),
    json_array('name', trim(json_extract(${j}, '$.applicant.name'))),
    json_array('id', upper(trim(json_extract(${j}, '$.applicant.idNumber')))),
    json_array('phone', trim(json_extract(${j}, '$.delivery.phone'))))`;
const MOBILE = `'1[3-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]'`;

/** Inserts the keys of the applications `source` yields as (id, j): j the opened payload. */
const insertKeys = (source: string) => /* sql */ `
INSERT OR IGNORE INTO case_keys (kind, hash, application_id)
  SELECT json_extract(k.value, '$[0]'), zk_lookup(json_extract(k.value, '$[1]')), p.id
  FROM ${source} p, json_each(${FIXED_KEYS('p.j')}) k
  WHERE json_type(k.value, '$[1]') = 'text' AND json_extract(k.value, '$[1]') <> '';
INSERT OR IGNORE INTO case_keys (kind, hash, application_id)
  SELECT 'phone', zk_lookup(trim(f.value)), p.id
  FROM ${source} p, json_each(p.j, '$.form') f
  WHERE f.type = 'text' AND trim(f.value) GLOB ${MOBILE};`;

export const migration014: Migration = {
  version: 14,
  name: 'case list',
  sql: /* sql */ `
CREATE TABLE case_keys (
  kind            TEXT NOT NULL CHECK (kind IN ('receipt', 'name', 'id', 'phone')),
  hash            TEXT NOT NULL,
  application_id  TEXT NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
  PRIMARY KEY (kind, hash, application_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX case_keys_application ON case_keys (application_id);

ALTER TABLE applications ADD COLUMN deadline TEXT;
ALTER TABLE applications ADD COLUMN receipt_day TEXT;
ALTER TABLE applications ADD COLUMN assigned_to TEXT;
ALTER TABLE applications ADD COLUMN listed_at TEXT;

CREATE INDEX applications_list_received ON applications (jurisdiction, received_at, id);
CREATE INDEX applications_list_deadline ON applications (jurisdiction, coalesce(deadline, '9999-12-31'), id);
CREATE INDEX applications_list_stale ON applications (id) WHERE listed_at IS NULL;

CREATE TEMP TABLE case_list_backfill AS SELECT id, zk_open(payload) AS j FROM applications;
${insertKeys('temp.case_list_backfill')}
DROP TABLE temp.case_list_backfill;

CREATE TRIGGER case_keys_at_ingest AFTER INSERT ON applications BEGIN
${insertKeys('(SELECT NEW.id AS id, zk_open(NEW.payload) AS j)')}
END;
CREATE TRIGGER case_list_status AFTER UPDATE OF status, updated_at ON applications
  WHEN NEW.listed_at IS NOT NULL
  BEGIN UPDATE applications SET listed_at = NULL WHERE id = NEW.id; END;
CREATE TRIGGER case_list_event AFTER INSERT ON case_events
  BEGIN UPDATE applications SET listed_at = NULL WHERE id = NEW.application_id; END;
CREATE TRIGGER case_list_supplement AFTER INSERT ON supplements
  BEGIN UPDATE applications SET listed_at = NULL WHERE id = NEW.application_id; END;
`,
};
