/**
 * Migration 7: 好差评 follow-up tasks for bad reviews (with their history) and the kiosks' heartbeats
 * for the fleet view (docs/sync-protocol.md, 8.3 and 8.5; src/hall/followups.ts, src/hall/fleet.ts).
 * Bad reviews received before this version get their task here, in the jurisdiction of the evaluated
 * case (else the kiosk's).
 * Released: never edit it, add the next migration.
 */
import type { Migration } from '../../../sqlite/index.js';

export const migration007: Migration = {
  version: 7,
  name: 'follow-ups and heartbeats',
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
};
