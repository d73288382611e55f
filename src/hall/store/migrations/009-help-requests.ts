/**
 * Migration 9: 呼叫帮助 requests from kiosks to the staff desk (docs/sync-protocol.md, section 5d;
 * src/hall/help-desk.ts). Only what the desk needs to answer: the kiosk (and so its jurisdiction),
 * the step, when the resident started waiting, and the masked name only when they agreed. The
 * WebRTC signalling itself is relayed in memory and never stored.
 * Released: never edit it, add the next migration.
 */
import type { Migration } from '../../../sqlite/index.js';

export const migration009: Migration = {
  version: 9,
  name: 'help requests',
  sql: /* sql */ `
CREATE TABLE help_requests (
  id             TEXT PRIMARY KEY,
  kiosk_id       TEXT NOT NULL REFERENCES kiosks(id),
  jurisdiction   TEXT NOT NULL,
  step           TEXT NOT NULL,
  since          TEXT NOT NULL,
  consent        INTEGER NOT NULL CHECK (consent IN (0, 1)),
  resident_name  TEXT CHECK (resident_name IS NULL OR consent = 1),
  state          TEXT NOT NULL CHECK (state IN ('waiting', 'answered', 'closed', 'cancelled')),
  staff          TEXT,
  created_at     TEXT NOT NULL,
  answered_at    TEXT,
  closed_at      TEXT
) STRICT;
CREATE INDEX help_requests_open ON help_requests(jurisdiction, state);
`,
};
