/**
 * Migration 19, the statistics' per-case facts (docs/hall-store.md, "Migration 19"; src/hall/desk-stats.ts).
 *
 * On applications, worked out with the case list's columns (migration 14: whenever `listed_at` was
 * cleared by a trigger — a new case, a status change, a staff action, a supplement):
 * `submitted_at` — when the resident submitted (supervision.ts's `submittedAt`, a UTC instant
 * `YYYY-MM-DDTHH:MM:SS.sssZ`; the statistics count a case on that day), `closed_at` (办结 / 不予受理,
 * null while open), `in_time` (1 closed on or before the deadline with its 补正 pauses, 0 late, null
 * not closed or no deadline) and `open_ms` (closed_at − submitted_at in milliseconds, for the average
 * days). The index serves a date range of one jurisdiction. Every case is marked to be worked out
 * again (listed_at NULL), so the hall fills the columns at its next open.
 *
 * On evaluations: `given_at` — the day a 好差评 counts on is when it was given (the payload's
 * `createdAt`, sealed), so it is kept in the clear as a UTC instant: backfilled here, written by a
 * trigger at ingest (the payload opened once more, like migration 14's keys), indexed.
 */
import type { Migration } from '../../../sqlite/index.js';

/** When an evaluation was given: its payload's `createdAt`, else the receipt time; as a UTC instant. */
const GIVEN_AT = (payload: string, receivedAt: string) =>
  `coalesce(strftime('%Y-%m-%dT%H:%M:%fZ', json_extract(zk_open(${payload}), '$.createdAt')),
            strftime('%Y-%m-%dT%H:%M:%fZ', ${receivedAt}), ${receivedAt})`;

export const migration019: Migration = {
  version: 19,
  name: 'case statistics',
  sql: /* sql */ `
ALTER TABLE applications ADD COLUMN submitted_at TEXT;
ALTER TABLE applications ADD COLUMN closed_at TEXT;
ALTER TABLE applications ADD COLUMN in_time INTEGER CHECK (in_time IN (0, 1));
ALTER TABLE applications ADD COLUMN open_ms INTEGER;
CREATE INDEX applications_stats_submitted ON applications (jurisdiction, submitted_at);
UPDATE applications SET listed_at = NULL;

ALTER TABLE evaluations ADD COLUMN given_at TEXT;
UPDATE evaluations SET given_at = ${GIVEN_AT('payload', 'received_at')};
CREATE INDEX evaluations_given ON evaluations (given_at);
CREATE TRIGGER evaluations_given_at_ingest AFTER INSERT ON evaluations BEGIN
  UPDATE evaluations SET given_at = ${GIVEN_AT('NEW.payload', 'NEW.received_at')} WHERE id = NEW.id;
END;
`,
};
