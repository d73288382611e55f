/**
 * Migration 3: staff of a jurisdiction and what they did to cases (docs/sync-protocol.md, 8 "Staff API").
 * Released: never edit it, add the next migration.
 */
import type { Migration } from '../../../sqlite/index.js';

export const migration003: Migration = {
  version: 3,
  name: 'staff tokens and case events',
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
};
