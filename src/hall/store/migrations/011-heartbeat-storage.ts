/**
 * Migration 11: the free space of each kiosk's data directory, as its last heartbeat reported it
 * (docs/sync-protocol.md, 5c; src/hall/fleet.ts). NULL for a heartbeat without it (a kiosk older
 * than the field, or one that could not read it).
 * Released: never edit it, add the next migration.
 */
import type { Migration } from '../../../sqlite/index.js';

export const migration011: Migration = {
  version: 11,
  name: 'heartbeat storage',
  sql: /* sql */ `
ALTER TABLE kiosk_heartbeats ADD COLUMN storage_free_bytes INTEGER CHECK (storage_free_bytes >= 0);
ALTER TABLE kiosk_heartbeats ADD COLUMN storage_total_bytes INTEGER CHECK (storage_total_bytes >= storage_free_bytes);
`,
};
