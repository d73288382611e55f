/**
 * Migration 16, log epochs (docs/sync-protocol.md, 5.1 "Epochs"): the change log gets an identity.
 * A hall restored from a backup gives out change-log positions (and record versions) again that its
 * kiosks have already seen; a new epoch — made here with the database, and again on every restore
 * or when the hall notices it was restored under it — tells a kiosk that its cursor belongs to
 * another history, so it refetches a snapshot instead of silently skipping the reused positions.
 * `first_position` is the last position given out before the epoch began (the epoch's own
 * positions are after it). The newest row (highest rowid) is the current epoch.
 * Also `enrollment_codes.kiosk_public_key` (idempotent enrolment, docs/sync-protocol.md, 2).
 * Released: never edit it, add the next migration.
 */
import type { Migration } from '../../../sqlite/index.js';

export const migration016: Migration = {
  version: 16,
  name: 'sync log epochs, enrolment key',
  sql: /* sql */ `
CREATE TABLE log_epochs (
  id              TEXT PRIMARY KEY CHECK (length(id) BETWEEN 8 AND 64 AND id NOT GLOB '*[^0-9a-f]*'),
  started_at      TEXT NOT NULL,
  first_position  INTEGER NOT NULL CHECK (first_position >= 0),
  reason          TEXT NOT NULL CHECK (reason IN ('created', 'restored', 'operator', 'detected-restore'))
) STRICT;
INSERT INTO log_epochs (id, started_at, first_position, reason)
  VALUES (lower(hex(randomblob(8))), strftime('%Y-%m-%dT%H:%M:%fZ', 'now'),
          coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'changes'), 0), 'created');
-- The public key a code was used with: a kiosk whose answer was lost asks again with the same key
-- and gets the same identity (docs/sync-protocol.md, 2), instead of 403 code-used and an orphan.
ALTER TABLE enrollment_codes ADD COLUMN kiosk_public_key TEXT;
`,
};
