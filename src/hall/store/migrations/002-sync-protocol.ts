/**
 * Migration 2, the sync protocol (docs/sync-protocol.md): credentials, one-time codes, replay nonces,
 * received outbox entries, the records fed from them, the blob index, and the change log.
 * Released: never edit it, add the next migration.
 */
import type { Migration } from '../../../sqlite/index.js';

export const migration002: Migration = {
  version: 2,
  name: 'sync protocol',
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
};
