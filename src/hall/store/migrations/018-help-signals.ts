/**
 * Migration 18: the 呼叫帮助 signalling log for several hall nodes (docs/sync-protocol.md, 5d; issue
 * #11). With one node the WebRTC signalling is relayed in memory (help-desk.ts); with several, the
 * kiosk's requests may land on node A while the desk's stream is held by node B, so each signal is
 * numbered by the database (the primary key makes `seq` unique per request and direction, whichever
 * node took it) and every node reads it from here after a notification naming it. Sealed at rest
 * like every column a kiosk sent (`zk_seal`); the rows of a finished call are deleted a minute after
 * it ends (help-desk.ts), since a signal is worthless after the call.
 * Released: never edit it, add the next migration.
 */
import type { Migration } from '../../../sqlite/index.js';

export const migration018: Migration = {
  version: 18,
  name: 'help signals',
  sql: /* sql */ `
CREATE TABLE help_signals (
  request_id  TEXT NOT NULL REFERENCES help_requests(id),
  direction   TEXT NOT NULL CHECK (direction IN ('to-kiosk', 'to-staff')),
  seq         INTEGER NOT NULL CHECK (seq >= 1),
  signal      TEXT NOT NULL,
  created_at  TEXT NOT NULL,
  PRIMARY KEY (request_id, direction, seq)
) STRICT, WITHOUT ROWID;
`,
};
