/**
 * Migration 3: queue tickets remember where their number came from (the hall's queue service or
 * this kiosk's offline range) and whether the ticket was printed, so a failed print is reprinted
 * with the same number instead of taking a second one; per-day counters for the offline range.
 */
export const migration003 = {
  version: 3,
  name: 'queue ticket sources, print state and offline counters',
  sql: /* sql */ `
ALTER TABLE queue_tickets ADD COLUMN number_source TEXT NOT NULL DEFAULT 'offline' CHECK (number_source IN ('hall', 'offline'));
ALTER TABLE queue_tickets ADD COLUMN print_state TEXT NOT NULL DEFAULT 'pending' CHECK (print_state IN ('pending', 'printed', 'failed'));
ALTER TABLE queue_tickets ADD COLUMN print_detail TEXT;
ALTER TABLE queue_tickets ADD COLUMN print_attempts INTEGER NOT NULL DEFAULT 0;
CREATE UNIQUE INDEX queue_tickets_number ON queue_tickets(service_date, number) WHERE number IS NOT NULL;

CREATE TABLE queue_counters (
  service_date  TEXT NOT NULL,
  window_code   TEXT NOT NULL REFERENCES window_categories(code),
  last_number   INTEGER NOT NULL,
  PRIMARY KEY (service_date, window_code)
) STRICT;
`,
} as const;
