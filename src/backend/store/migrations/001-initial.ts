/**
 * Migration 1: the initial schema. Every table is STRICT; money in fen, times as ISO-8601 UTC text,
 * JSON documents as TEXT checked with json_valid().
 */
export const migration001 = {
  version: 1,
  name: 'initial schema',
  sql: /* sql */ `
CREATE TABLE window_categories (
  code        TEXT PRIMARY KEY,
  name_zh     TEXT NOT NULL,
  name_en     TEXT NOT NULL,
  sort_order  INTEGER NOT NULL,
  data        TEXT NOT NULL CHECK (json_valid(data))
) STRICT;

CREATE TABLE service_items (
  code             TEXT PRIMARY KEY,
  window_code      TEXT NOT NULL REFERENCES window_categories(code),
  name_zh          TEXT NOT NULL,
  name_en          TEXT NOT NULL,
  case_type        TEXT NOT NULL CHECK (case_type IN ('immediate', 'promised')),
  legal_days       INTEGER NOT NULL,
  promised_days    INTEGER NOT NULL CHECK (promised_days * 2 <= legal_days),
  search_text      TEXT NOT NULL,
  data             TEXT NOT NULL CHECK (json_valid(data)),
  catalog_version  TEXT NOT NULL
) STRICT;
CREATE INDEX service_items_window ON service_items(window_code);

CREATE TABLE service_materials (
  item_code   TEXT NOT NULL REFERENCES service_items(code) ON DELETE CASCADE,
  code        TEXT NOT NULL,
  position    INTEGER NOT NULL,
  name_zh     TEXT NOT NULL,
  required    INTEGER NOT NULL CHECK (required IN (0, 1)),
  source      TEXT NOT NULL CHECK (source IN ('applicant', 'shared-licence')),
  originals   INTEGER NOT NULL,
  copies      INTEGER NOT NULL,
  PRIMARY KEY (item_code, code)
) STRICT;

CREATE TABLE bundles (
  code         TEXT PRIMARY KEY,
  window_code  TEXT NOT NULL REFERENCES window_categories(code),
  name_zh      TEXT NOT NULL,
  name_en      TEXT NOT NULL,
  data         TEXT NOT NULL CHECK (json_valid(data))
) STRICT;

CREATE TABLE bundle_items (
  bundle_code  TEXT NOT NULL REFERENCES bundles(code) ON DELETE CASCADE,
  item_code    TEXT NOT NULL REFERENCES service_items(code),
  position     INTEGER NOT NULL,
  PRIMARY KEY (bundle_code, item_code)
) STRICT;

-- 办件. Personal data columns are nulled by the retention purge once the hall has acknowledged it.
CREATE TABLE applications (
  id                   TEXT PRIMARY KEY,
  receipt_no           TEXT NOT NULL UNIQUE,
  item_code            TEXT NOT NULL REFERENCES service_items(code),
  bundle_code          TEXT REFERENCES bundles(code),
  bundle_submission_id TEXT,
  jurisdiction         TEXT NOT NULL,
  applicant_name       TEXT,
  applicant_id_number  TEXT,
  applicant_masked     TEXT NOT NULL,
  helper_name          TEXT,
  helper_id_number     TEXT,
  form                 TEXT CHECK (form IS NULL OR json_valid(form)),
  delivery             TEXT CHECK (delivery IS NULL OR json_valid(delivery)),
  status               TEXT NOT NULL,
  submitted_at         TEXT NOT NULL,
  promised_date        TEXT,
  hall_acknowledged_at TEXT,
  purged_at            TEXT,
  updated_at           TEXT NOT NULL
) STRICT;
CREATE INDEX applications_status ON applications(status);

CREATE TABLE application_status_history (
  id              INTEGER PRIMARY KEY,
  application_id  TEXT NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
  status          TEXT NOT NULL,
  at              TEXT NOT NULL,
  source          TEXT NOT NULL CHECK (source IN ('kiosk', 'hall')),
  note            TEXT,
  detail          TEXT CHECK (detail IS NULL OR json_valid(detail))
) STRICT;
CREATE INDEX application_status_history_app ON application_status_history(application_id, id);

-- Content-addressed scanned files: the file lives at <dataDir>/blobs/<sha256[0..2]>/<sha256>.
CREATE TABLE attachments (
  sha256       TEXT PRIMARY KEY CHECK (length(sha256) = 64),
  size         INTEGER NOT NULL CHECK (size >= 0),
  mime         TEXT NOT NULL,
  pages        INTEGER NOT NULL DEFAULT 1,
  captured_at  TEXT NOT NULL,
  device       TEXT NOT NULL,
  purged_at    TEXT
) STRICT;

CREATE TABLE application_attachments (
  application_id  TEXT NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
  material_code   TEXT NOT NULL,
  sha256          TEXT NOT NULL REFERENCES attachments(sha256),
  position        INTEGER NOT NULL,
  PRIMARY KEY (application_id, material_code, position)
) STRICT;

-- Outbox: written in the same transaction as the business rows; the sync client pushes in seq order.
CREATE TABLE outbox (
  seq          INTEGER PRIMARY KEY AUTOINCREMENT,
  kind         TEXT NOT NULL,
  entity_id    TEXT NOT NULL,
  payload      TEXT NOT NULL CHECK (json_valid(payload)),
  created_at   TEXT NOT NULL,
  acked_at     TEXT,
  attempts     INTEGER NOT NULL DEFAULT 0,
  last_error   TEXT
) STRICT;
CREATE INDEX outbox_pending ON outbox(seq) WHERE acked_at IS NULL;

CREATE TABLE queue_tickets (
  id               TEXT PRIMARY KEY,
  idempotency_key  TEXT NOT NULL UNIQUE,
  window_code      TEXT NOT NULL REFERENCES window_categories(code),
  number           TEXT,
  service_date     TEXT NOT NULL,
  issued_at        TEXT NOT NULL,
  application_id   TEXT REFERENCES applications(id),
  status           TEXT NOT NULL,
  people_waiting   INTEGER
) STRICT;

CREATE TABLE evaluations (
  id              TEXT PRIMARY KEY,
  target_kind     TEXT NOT NULL CHECK (target_kind IN ('application', 'ticket')),
  target_id       TEXT NOT NULL,
  level           TEXT NOT NULL CHECK (level IN ('very-satisfied', 'satisfied', 'basically-satisfied', 'dissatisfied', 'very-dissatisfied')),
  content_items   TEXT NOT NULL CHECK (json_valid(content_items)),
  reason          TEXT,
  comment         TEXT,
  channel         TEXT NOT NULL,
  created_at      TEXT NOT NULL
) STRICT;

CREATE TABLE audit_log (
  id       INTEGER PRIMARY KEY,
  at       TEXT NOT NULL,
  actor    TEXT NOT NULL,
  action   TEXT NOT NULL,
  subject  TEXT,
  detail   TEXT CHECK (detail IS NULL OR json_valid(detail))
) STRICT;

CREATE TABLE device_config (
  kind        TEXT PRIMARY KEY,
  uri         TEXT NOT NULL,
  options     TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(options)),
  updated_at  TEXT NOT NULL
) STRICT;

CREATE TABLE kiosk_config (
  key         TEXT PRIMARY KEY,
  value       TEXT NOT NULL CHECK (json_valid(value)),
  updated_at  TEXT NOT NULL
) STRICT;
`,
} as const;
