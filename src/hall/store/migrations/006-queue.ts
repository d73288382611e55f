/**
 * Migration 6, the queue service (docs/sync-protocol.md, 5b): numbers per window per day handed out online,
 * with idempotency keys; tickets (online or reported later from a kiosk's offline range) are called by
 * staff.
 * Released: never edit it, add the next migration.
 */
import type { Migration } from '../../../sqlite/index.js';

export const migration006: Migration = {
  version: 6,
  name: 'queue numbers',
  sql: /* sql */ `
CREATE TABLE queue_numbers (
  id               TEXT PRIMARY KEY,
  idempotency_key  TEXT NOT NULL UNIQUE,
  kiosk_id         TEXT NOT NULL REFERENCES kiosks(id),
  window_code      TEXT NOT NULL,
  number           TEXT NOT NULL,
  service_date     TEXT NOT NULL,
  issued_at        TEXT NOT NULL,
  called_at        TEXT
) STRICT;
CREATE UNIQUE INDEX queue_numbers_number ON queue_numbers(service_date, number);
CREATE INDEX queue_numbers_waiting ON queue_numbers(service_date, window_code, called_at);
CREATE TABLE queue_counters (
  service_date  TEXT NOT NULL,
  window_code   TEXT NOT NULL,
  last_number   INTEGER NOT NULL,
  PRIMARY KEY (service_date, window_code)
) STRICT;
ALTER TABLE tickets ADD COLUMN called_at TEXT;
`,
};
