/**
 * Hall-owned documents on the kiosk (services/hall-documents.ts): what is in force per (stream, key)
 * is one `kiosk_config` row `hall-document:<stream>/<key>`; the records the sync client pulled are
 * read from its `sync_records` (it owns that table; the backend only reads it for catch-up).
 */
import type { DocumentStream } from '../../shared/wire/index.js';
import type { Db } from './db.js';

export const documentConfigKey = (stream: DocumentStream, key: string) => `hall-document:${stream}/${key}`;

export type PulledRecordRow = {
  stream: DocumentStream;
  key: string;
  op: 'put' | 'del';
  version: number;
  data: string | null;
};

export function createHallDocumentsStore(db: Db) {
  const q = {
    get: db.prepare('SELECT value FROM kiosk_config WHERE key = ?').pluck(),
    set: db.prepare(
      `INSERT INTO kiosk_config (key, value, updated_at) VALUES (?, ?, ?)
       ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
    ),
    pulled: db.prepare(
      `SELECT stream, key, op, version, data FROM sync_records
       WHERE stream IN (SELECT value FROM json_each(?)) ORDER BY stream, key`,
    ),
  };
  return {
    /** The JSON text of the state in force for (stream, key); undefined when the hall never sent one. */
    stateText: (stream: DocumentStream, key: string): string | undefined =>
      q.get.get(documentConfigKey(stream, key)) as string | undefined,
    writeState(stream: DocumentStream, key: string, state: unknown, at: string): void {
      q.set.run(documentConfigKey(stream, key), JSON.stringify(state), at);
    },
    /** Every record of these streams the sync client stored, by stream and key. */
    pulled: (streams: readonly DocumentStream[]): PulledRecordRow[] =>
      q.pulled.all(JSON.stringify(streams)) as PulledRecordRow[],
  };
}
export type HallDocumentsStore = ReturnType<typeof createHallDocumentsStore>;
