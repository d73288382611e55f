/**
 * Migration 4: what the sync client keeps (docs/sync-protocol.md). The hall's answer per outbox
 * entry (applied / rejected / conflict and its reference), and the latest version of every record
 * pulled from the hall's change log, tombstones included, so re-delivered changes are no-ops and
 * streams the kiosk does not interpret yet are kept rather than lost.
 */
export const migration004 = {
  version: 4,
  name: 'sync client: hall answers on outbox rows, pulled records',
  sql: /* sql */ `
ALTER TABLE outbox ADD COLUMN hall_status TEXT CHECK (hall_status IS NULL OR hall_status IN ('applied', 'rejected', 'conflict'));
ALTER TABLE outbox ADD COLUMN hall_reference TEXT;

CREATE TABLE sync_records (
  stream       TEXT NOT NULL,
  key          TEXT NOT NULL,
  op           TEXT NOT NULL CHECK (op IN ('put', 'del')),
  version      INTEGER NOT NULL,
  data         TEXT CHECK (data IS NULL OR json_valid(data)),
  received_at  TEXT NOT NULL,
  PRIMARY KEY (stream, key)
) STRICT;
`,
} as const;
