/**
 * Migration 12, priority tickets (优先号, src/shared/queue-ticket.ts; docs/hall-queue.md): a queue
 * number handed out online and a ticket reported from a kiosk's offline range may be a priority one
 * (老年人 / 残疾人 / 孕妇); priority numbers are a series of their own per window per day, so they
 * have their own counters. Rows from before stay ordinary (NULL).
 * Released: never edit it, add the next migration.
 */
import type { Migration } from '../../../sqlite/index.js';

export const migration012: Migration = {
  version: 12,
  name: 'queue priority tickets',
  sql: /* sql */ `
ALTER TABLE queue_numbers ADD COLUMN priority TEXT CHECK (priority IN ('elderly', 'disabled', 'pregnant'));
ALTER TABLE tickets ADD COLUMN priority TEXT CHECK (priority IN ('elderly', 'disabled', 'pregnant'));
CREATE TABLE queue_priority_counters (
  service_date  TEXT NOT NULL,
  window_code   TEXT NOT NULL,
  last_number   INTEGER NOT NULL,
  PRIMARY KEY (service_date, window_code)
) STRICT;
`,
};
