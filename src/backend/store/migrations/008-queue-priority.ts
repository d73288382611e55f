/**
 * Migration 8, priority tickets (优先号, src/shared/queue-ticket.ts; docs/devices-ticket.md): a
 * ticket may be a priority one (老年人 / 残疾人 / 孕妇), kept so a reprint says so again; priority
 * numbers taken from this kiosk's offline range count in a series of their own per window per day.
 * Tickets from before stay ordinary (NULL).
 */
export const migration008 = {
  version: 8,
  name: 'queue priority tickets',
  sql: /* sql */ `
ALTER TABLE queue_tickets ADD COLUMN priority TEXT CHECK (priority IN ('elderly', 'disabled', 'pregnant'));
CREATE TABLE queue_priority_counters (
  service_date  TEXT NOT NULL,
  window_code   TEXT NOT NULL REFERENCES window_categories(code),
  last_number   INTEGER NOT NULL,
  PRIMARY KEY (service_date, window_code)
) STRICT;
`,
} as const;
