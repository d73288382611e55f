/**
 * Migration 1: the hall's own settings (`hall_meta`) and the kiosks it knows.
 * Released: never edit it, add the next migration.
 */
import type { Migration } from '../../../sqlite/index.js';

export const migration001: Migration = {
  version: 1,
  name: 'hall meta and kiosks',
  sql: /* sql */ `
CREATE TABLE hall_meta (
  key    TEXT PRIMARY KEY,
  value  TEXT NOT NULL
) STRICT;
CREATE TABLE kiosks (
  id             TEXT PRIMARY KEY,
  jurisdiction   TEXT NOT NULL,
  secret_hash    TEXT NOT NULL,
  enrolled_at    TEXT NOT NULL,
  last_contact_at TEXT,
  last_applied_seq INTEGER NOT NULL DEFAULT 0
) STRICT;
`,
};
