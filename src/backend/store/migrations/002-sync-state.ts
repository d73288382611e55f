/**
 * Migration 2: per-stream pull cursors for the sync client, where the catalog came from, and the
 * look-ups progress queries need (by applicant, newest first).
 */
export const migration002 = {
  version: 2,
  name: 'sync cursors, catalog source, progress look-ups',
  sql: /* sql */ `
CREATE TABLE sync_cursors (
  stream      TEXT PRIMARY KEY,
  cursor      TEXT NOT NULL,
  updated_at  TEXT NOT NULL
) STRICT;

CREATE TABLE catalog_meta (
  id          INTEGER PRIMARY KEY CHECK (id = 1),
  version     TEXT NOT NULL,
  source      TEXT NOT NULL CHECK (source IN ('seed', 'hall')),
  loaded_at   TEXT NOT NULL
) STRICT;

CREATE INDEX applications_applicant ON applications(applicant_id_number, submitted_at);
CREATE INDEX applications_submitted ON applications(submitted_at);
`,
} as const;
