/** What kiosks pushed (one row per kiosk and seq, applied or rejected) and the alerts it raised. */
import type { HallSql } from './sql.js';

export type StoredEntry = {
  id: number;
  payloadHash: string;
  status: 'applied' | 'rejected';
  reason: string | null;
  hallReference: string | null;
};

export function createEntryStore(sql: HallSql) {
  return {
    get: (kioskId: string, seq: number): Promise<StoredEntry | undefined> =>
      sql.get<StoredEntry>(
        'SELECT id, payload_hash AS "payloadHash", status, reason, hall_reference AS "hallReference" FROM entries WHERE kiosk_id = ? AND seq = ?',
        [kioskId, seq],
      ),
    /**
     * Records an entry as received; returns its id. The unique (kiosk_id, seq) refuses a second row
     * for one seq, whichever hall node writes it (the push then fails and is retried).
     */
    insert: async (e: {
      kioskId: string;
      seq: number;
      kind: string;
      payload: string;
      payloadHash: string;
      status: 'applied' | 'rejected';
      reason: string | null;
      at: string;
    }): Promise<number> =>
      Number(
        await sql.value<number>(
          `INSERT INTO entries (kiosk_id, seq, kind, payload, payload_hash, status, reason, hall_reference, received_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, NULL, ?) RETURNING id`,
          [e.kioskId, e.seq, e.kind, sql.seal(e.payload), e.payloadHash, e.status, e.reason, e.at],
        ),
      ),
    async setReference(id: number, hallReference: string): Promise<void> {
      await sql.run('UPDATE entries SET hall_reference = ? WHERE id = ?', [hallReference, id]);
    },
    async markRejected(id: number, reason: string): Promise<void> {
      await sql.run("UPDATE entries SET status = 'rejected', reason = ? WHERE id = ?", [reason, id]);
    },
    async alert(a: { at: string; kioskId: string | null; kind: string; detail: unknown }): Promise<void> {
      await sql.run('INSERT INTO alerts (at, kiosk_id, kind, detail) VALUES (?, ?, ?, ?)', [
        a.at,
        a.kioskId,
        a.kind,
        JSON.stringify(a.detail),
      ]);
    },
  };
}

export type EntryStore = ReturnType<typeof createEntryStore>;
