/**
 * Migration 15, the 叫号 panel of the staff desk (docs/hall-store.md, "Migration 15"; docs/sync-protocol.md,
 * 8 "叫号 panel"): a called number can be called again (再次呼叫: how often and when last), passed
 * over (过号: skipped_at) or sent to another window (转窗: the window it came from and when — it waits
 * again, in the new window's queue, in its original order). `called_by` names the staff member who
 * called it. Online numbers (queue_numbers) and tickets from a kiosk's offline range (tickets) get the
 * same columns: they are one queue per window per day. Rows from before are unchanged (never
 * recalled, skipped or transferred).
 * Released: never edit it, add the next migration.
 */
import type { Migration } from '../../../sqlite/index.js';

const columns = (table: string) => /* sql */ `
ALTER TABLE ${table} ADD COLUMN called_by TEXT;
ALTER TABLE ${table} ADD COLUMN recall_count INTEGER NOT NULL DEFAULT 0 CHECK (recall_count >= 0);
ALTER TABLE ${table} ADD COLUMN recalled_at TEXT;
ALTER TABLE ${table} ADD COLUMN skipped_at TEXT CHECK (skipped_at IS NULL OR called_at IS NOT NULL);
ALTER TABLE ${table} ADD COLUMN transferred_from TEXT;
ALTER TABLE ${table} ADD COLUMN transferred_at TEXT;
`;

export const migration015: Migration = {
  version: 15,
  name: 'desk queue: recall, skip, transfer',
  sql: /* sql */ `
${columns('queue_numbers')}
${columns('tickets')}
CREATE INDEX tickets_desk_queue ON tickets(service_date, window_code, called_at);
`,
};
