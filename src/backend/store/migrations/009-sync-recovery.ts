/**
 * Migration 9, sync that recovers (docs/sync-protocol.md, 5.1 "Epochs" and 3 "Blobs"):
 * - `sync_records.epoch`: the hall change-log epoch a record's version belongs to. A version is
 *   only comparable within one epoch: after a hall was restored, a record held from the old history
 *   never makes the new history's changes look stale. NULL for records pulled before epochs.
 * - `outbox.resent_at`: when an entry the hall had acknowledged was sent again because a restored
 *   hall no longer held it (its lastAppliedSeq went back).
 * - `sync_uploaded_blobs`: the blobs a hall (this kiosk id at it) confirmed holding, so a restart
 *   does not ask about every one again. A hall that answers "missing blobs" removes its row.
 */
export const migration009 = {
  version: 9,
  name: 'sync recovery: record epochs, resent entries, uploaded blobs',
  sql: /* sql */ `
ALTER TABLE sync_records ADD COLUMN epoch TEXT;
ALTER TABLE outbox ADD COLUMN resent_at TEXT;
CREATE TABLE sync_uploaded_blobs (
  kiosk_id     TEXT NOT NULL,
  sha256       TEXT NOT NULL CHECK (length(sha256) = 64 AND sha256 NOT GLOB '*[^0-9a-f]*'),
  uploaded_at  TEXT NOT NULL,
  PRIMARY KEY (kiosk_id, sha256)
) STRICT;
`,
} as const;
