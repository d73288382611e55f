/**
 * Migration 4: 补齐补正 supplements from kiosks (docs/contract.md, "Entry kinds").
 * Released: never edit it, add the next migration.
 */
import type { Migration } from '../../../sqlite/index.js';

export const migration004: Migration = {
  version: 4,
  name: 'supplements',
  sql: /* sql */ `
CREATE TABLE supplements (
  id              TEXT PRIMARY KEY,
  application_id  TEXT NOT NULL REFERENCES applications(id),
  entry_id        INTEGER NOT NULL REFERENCES entries(id),
  payload         TEXT NOT NULL CHECK (json_valid(payload)),
  received_at     TEXT NOT NULL
) STRICT;
CREATE INDEX supplements_app ON supplements(application_id);
`,
};
