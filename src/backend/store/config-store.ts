/**
 * Kiosk settings kept in the database: `kiosk_config` (JSON values by key — the technician PIN and
 * lock, the ID-number salt, the sync client's state, hall documents in force) and `device_config`
 * (the device addresses a technician chose in the console). Secrets among them (the ID-number salt;
 * the sync client's enrolment, written in src/sync/store.ts) are sealed at rest; reading opens any.
 */
import type { Db } from './db.js';

export function createConfigStore(db: Db) {
  const q = {
    get: db.prepare('SELECT zk_open(value) FROM kiosk_config WHERE key = ?').pluck(),
    put: db.prepare(
      `INSERT INTO kiosk_config (key, value, updated_at) VALUES (?, ?, ?)
       ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
    ),
    putSealed: db.prepare(
      `INSERT INTO kiosk_config (key, value, updated_at) VALUES (?, zk_seal(?), ?)
       ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
    ),
    devices: db.prepare('SELECT kind, uri FROM device_config'),
    saveDevice: db.prepare(
      `INSERT INTO device_config (kind, uri, updated_at) VALUES (?, ?, ?)
       ON CONFLICT(kind) DO UPDATE SET uri = excluded.uri, updated_at = excluded.updated_at`,
    ),
  };
  return {
    /** The parsed value of a key; the caller knows its shape (null: never set). */
    read<T>(key: string): T | null {
      const v = q.get.get(key) as string | undefined;
      return v === undefined ? null : (JSON.parse(v) as T);
    },
    write(key: string, value: unknown, at: string): void {
      q.put.run(key, JSON.stringify(value), at);
    },
    /** As `write`, sealed at rest (a secret). */
    writeSealed(key: string, value: unknown, at: string): void {
      q.putSealed.run(key, JSON.stringify(value), at);
    },
    savedDevices(): { kind: string; uri: string }[] {
      return q.devices.all() as { kind: string; uri: string }[];
    },
    saveDevice(kind: string, uri: string, at: string): void {
      q.saveDevice.run(kind, uri, at);
    },
  };
}
export type ConfigStore = ReturnType<typeof createConfigStore>;
