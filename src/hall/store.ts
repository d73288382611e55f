/**
 * The hall's own SQLite store, with the same durability rules as the kiosk's: WAL,
 * synchronous=FULL, foreign keys, busy timeout, STRICT tables, user_version migrations in
 * transactions, and a refusal to open a newer database.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

export const HALL_MIGRATIONS: readonly { version: number; sql: string }[] = [
  {
    version: 1,
    sql: /* sql */ `
CREATE TABLE hall_meta (
  key    TEXT PRIMARY KEY,
  value  TEXT NOT NULL
) STRICT;
CREATE TABLE kiosks (
  id             TEXT PRIMARY KEY,
  jurisdiction   TEXT NOT NULL,
  secret_hash    TEXT NOT NULL,
  enrolled_at    TEXT NOT NULL,
  last_contact_at TEXT,
  last_applied_seq INTEGER NOT NULL DEFAULT 0
) STRICT;
`,
  },
  {
    // Sync protocol (docs/sync-protocol.md): credentials, one-time codes, replay nonces, received
    // outbox entries, the records fed from them, the blob index, and the change log.
    version: 2,
    sql: /* sql */ `
ALTER TABLE kiosks ADD COLUMN secret TEXT NOT NULL DEFAULT '';
CREATE TABLE enrollment_codes (
  code          TEXT PRIMARY KEY,
  jurisdiction  TEXT NOT NULL,
  created_at    TEXT NOT NULL,
  expires_at    TEXT NOT NULL,
  used_at       TEXT,
  kiosk_id      TEXT REFERENCES kiosks(id)
) STRICT;
CREATE TABLE nonces (
  kiosk_id  TEXT NOT NULL REFERENCES kiosks(id),
  nonce     TEXT NOT NULL,
  seen_ms   INTEGER NOT NULL,
  PRIMARY KEY (kiosk_id, nonce)
) STRICT;
CREATE INDEX nonces_seen ON nonces(seen_ms);
CREATE TABLE entries (
  id              INTEGER PRIMARY KEY,
  kiosk_id        TEXT NOT NULL REFERENCES kiosks(id),
  seq             INTEGER NOT NULL,
  kind            TEXT NOT NULL,
  payload         TEXT NOT NULL,
  payload_hash    TEXT NOT NULL,
  status          TEXT NOT NULL CHECK (status IN ('applied', 'rejected')),
  reason          TEXT,
  hall_reference  TEXT,
  received_at     TEXT NOT NULL,
  UNIQUE (kiosk_id, seq)
) STRICT;
CREATE TABLE alerts (
  id        INTEGER PRIMARY KEY,
  at        TEXT NOT NULL,
  kiosk_id  TEXT,
  kind      TEXT NOT NULL,
  detail    TEXT NOT NULL CHECK (json_valid(detail))
) STRICT;
CREATE TABLE applications (
  id            TEXT PRIMARY KEY,
  kiosk_id      TEXT NOT NULL REFERENCES kiosks(id),
  entry_id      INTEGER NOT NULL REFERENCES entries(id),
  jurisdiction  TEXT NOT NULL,
  item_code     TEXT NOT NULL,
  status        TEXT NOT NULL,
  payload       TEXT NOT NULL CHECK (json_valid(payload)),
  received_at   TEXT NOT NULL,
  updated_at    TEXT NOT NULL
) STRICT;
CREATE INDEX applications_jurisdiction ON applications(jurisdiction, status);
CREATE TABLE application_blobs (
  application_id  TEXT NOT NULL REFERENCES applications(id),
  sha256          TEXT NOT NULL REFERENCES blobs(sha256),
  PRIMARY KEY (application_id, sha256)
) STRICT;
CREATE TABLE tickets (
  id           TEXT PRIMARY KEY,
  kiosk_id     TEXT NOT NULL REFERENCES kiosks(id),
  entry_id     INTEGER NOT NULL REFERENCES entries(id),
  window_code  TEXT NOT NULL,
  number       TEXT NOT NULL,
  service_date TEXT NOT NULL,
  payload      TEXT NOT NULL CHECK (json_valid(payload)),
  received_at  TEXT NOT NULL
) STRICT;
CREATE TABLE evaluations (
  id           TEXT PRIMARY KEY,
  kiosk_id     TEXT NOT NULL REFERENCES kiosks(id),
  entry_id     INTEGER NOT NULL REFERENCES entries(id),
  target_kind  TEXT NOT NULL,
  target_id    TEXT NOT NULL,
  level        TEXT NOT NULL,
  payload      TEXT NOT NULL CHECK (json_valid(payload)),
  received_at  TEXT NOT NULL
) STRICT;
CREATE TABLE blobs (
  sha256       TEXT PRIMARY KEY CHECK (length(sha256) = 64),
  size         INTEGER NOT NULL,
  received_at  TEXT NOT NULL
) STRICT;
-- The change log: position is the cursor. kiosk_id NULL = every kiosk sees it.
CREATE TABLE changes (
  position    INTEGER PRIMARY KEY AUTOINCREMENT,
  kiosk_id    TEXT REFERENCES kiosks(id),
  stream      TEXT NOT NULL,
  key         TEXT NOT NULL,
  op          TEXT NOT NULL CHECK (op IN ('put', 'del')),
  version     INTEGER NOT NULL,
  data        TEXT CHECK (data IS NULL OR json_valid(data)),
  created_at  TEXT NOT NULL
) STRICT;
CREATE INDEX changes_created ON changes(created_at);
-- Latest state per (scope, stream, key), tombstones included: the source of snapshots.
CREATE TABLE records (
  id          INTEGER PRIMARY KEY,
  scope       TEXT NOT NULL,
  stream      TEXT NOT NULL,
  key         TEXT NOT NULL,
  op          TEXT NOT NULL CHECK (op IN ('put', 'del')),
  version     INTEGER NOT NULL,
  data        TEXT CHECK (data IS NULL OR json_valid(data)),
  position    INTEGER NOT NULL,
  UNIQUE (scope, stream, key)
) STRICT;
`,
  },
  {
    // Staff of a jurisdiction and what they did to cases (issue 5, staff actions).
    version: 3,
    sql: /* sql */ `
CREATE TABLE staff_tokens (
  token_hash    TEXT PRIMARY KEY,
  name          TEXT NOT NULL,
  jurisdiction  TEXT NOT NULL,
  created_at    TEXT NOT NULL,
  revoked_at    TEXT
) STRICT;
CREATE TABLE case_events (
  id              INTEGER PRIMARY KEY,
  application_id  TEXT NOT NULL REFERENCES applications(id),
  at              TEXT NOT NULL,
  staff           TEXT NOT NULL,
  action          TEXT NOT NULL,
  from_status     TEXT NOT NULL,
  to_status       TEXT NOT NULL,
  detail          TEXT NOT NULL CHECK (json_valid(detail))
) STRICT;
CREATE INDEX case_events_app ON case_events(application_id, id);
`,
  },
  {
    // 补齐补正 supplements from kiosks (issue 4/5).
    version: 4,
    sql: /* sql */ `
CREATE TABLE supplements (
  id              TEXT PRIMARY KEY,
  application_id  TEXT NOT NULL REFERENCES applications(id),
  entry_id        INTEGER NOT NULL REFERENCES entries(id),
  payload         TEXT NOT NULL CHECK (json_valid(payload)),
  received_at     TEXT NOT NULL
) STRICT;
CREATE INDEX supplements_app ON supplements(application_id);
`,
  },
  {
    // Shared electronic licences (电子证照) the hall can vouch for, by holder and material code.
    version: 5,
    sql: /* sql */ `
CREATE TABLE licences (
  id_number      TEXT NOT NULL,
  material_code  TEXT NOT NULL,
  licence_no     TEXT NOT NULL,
  added_at       TEXT NOT NULL,
  PRIMARY KEY (id_number, material_code)
) STRICT;
`,
  },
  {
    // Queue service (issue 5): numbers per window per day handed out online, with idempotency keys;
    // tickets (online or reported later from a kiosk's offline range) are called by staff.
    version: 6,
    sql: /* sql */ `
CREATE TABLE queue_numbers (
  id               TEXT PRIMARY KEY,
  idempotency_key  TEXT NOT NULL UNIQUE,
  kiosk_id         TEXT NOT NULL REFERENCES kiosks(id),
  window_code      TEXT NOT NULL,
  number           TEXT NOT NULL,
  service_date     TEXT NOT NULL,
  issued_at        TEXT NOT NULL,
  called_at        TEXT
) STRICT;
CREATE UNIQUE INDEX queue_numbers_number ON queue_numbers(service_date, number);
CREATE INDEX queue_numbers_waiting ON queue_numbers(service_date, window_code, called_at);
CREATE TABLE queue_counters (
  service_date  TEXT NOT NULL,
  window_code   TEXT NOT NULL,
  last_number   INTEGER NOT NULL,
  PRIMARY KEY (service_date, window_code)
) STRICT;
ALTER TABLE tickets ADD COLUMN called_at TEXT;
`,
  },
  {
    // 好差评 follow-up tasks for bad reviews (with their history) and the kiosks' heartbeats for the
    // fleet view (issue 5; src/hall/followups.ts, src/hall/fleet.ts). Bad reviews received before
    // this version get their task here, in the jurisdiction of the evaluated case (else the kiosk's).
    version: 7,
    sql: /* sql */ `
CREATE TABLE followups (
  id              INTEGER PRIMARY KEY,
  evaluation_id   TEXT NOT NULL UNIQUE REFERENCES evaluations(id),
  jurisdiction    TEXT NOT NULL,
  state           TEXT NOT NULL CHECK (state IN ('pending', 'in-progress', 'extension-requested', 'done', 'invalid', 'cannot-fix')),
  created_at      TEXT NOT NULL,
  extension_days  INTEGER NOT NULL DEFAULT 0 CHECK (extension_days >= 0),
  requested_days  INTEGER,
  updated_at      TEXT NOT NULL,
  closed_at       TEXT
) STRICT;
CREATE INDEX followups_jurisdiction ON followups(jurisdiction, state);
CREATE TABLE followup_events (
  id           INTEGER PRIMARY KEY,
  followup_id  INTEGER NOT NULL REFERENCES followups(id),
  at           TEXT NOT NULL,
  staff        TEXT NOT NULL,
  action       TEXT NOT NULL,
  from_state   TEXT NOT NULL,
  to_state     TEXT NOT NULL,
  detail       TEXT NOT NULL CHECK (json_valid(detail))
) STRICT;
CREATE INDEX followup_events_followup ON followup_events(followup_id, id);
CREATE TABLE kiosk_heartbeats (
  kiosk_id     TEXT PRIMARY KEY REFERENCES kiosks(id),
  at           TEXT NOT NULL,
  backlog      INTEGER NOT NULL,
  app_version  TEXT NOT NULL,
  devices      TEXT NOT NULL CHECK (json_valid(devices))
) STRICT;
INSERT INTO followups (evaluation_id, jurisdiction, state, created_at, updated_at)
  SELECT e.id,
         coalesce((SELECT a.jurisdiction FROM applications a WHERE e.target_kind = 'application' AND a.id = e.target_id), k.jurisdiction),
         'pending', e.received_at, e.received_at
  FROM evaluations e JOIN kiosks k ON k.id = e.kiosk_id
  WHERE e.level IN ('dissatisfied', 'very-dissatisfied')
  ORDER BY e.received_at, e.id;
`,
  },
];

export type HallDb = Database.Database;

export function openHallDatabase(path: string): { ok: true; db: HallDb } | { ok: false; error: string } {
  try {
    mkdirSync(dirname(path), { recursive: true });
    const db = new Database(path);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    const found = db.pragma('user_version', { simple: true }) as number;
    if (found > HALL_MIGRATIONS.length) {
      db.close();
      return {
        ok: false,
        error: `hall database ${path} has schema ${found}, newer than this hall (${HALL_MIGRATIONS.length})`,
      };
    }
    for (const m of HALL_MIGRATIONS.slice(found)) {
      db.transaction(() => {
        db.exec(m.sql);
        db.pragma(`user_version = ${m.version}`);
      }).immediate();
    }
    return { ok: true, db };
  } catch (e) {
    return { ok: false, error: `cannot open hall database ${path}: ${(e as Error).message}` };
  }
}
