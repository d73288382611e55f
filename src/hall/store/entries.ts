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
     * Records an entry as received; returns its id and, for an applied one, its hall reference. The
     * unique (kiosk_id, seq) refuses a second row for one seq, whichever hall node writes it (the push
     * then fails and is retried).
     *
     * The hall reference (docs/sync-protocol.md, 4.1) is `referencePrefix-` and the entry's id, zero
     * padded to eight digits (more when the id has more): written by the insert itself, which picks
     * the id (one statement, not an insert and an update). No prefix, no reference.
     */
    insert: async (e: {
      kioskId: string;
      seq: number;
      kind: string;
      payload: string;
      payloadHash: string;
      status: 'applied' | 'rejected';
      reason: string | null;
      referencePrefix: string | null;
      at: string;
    }): Promise<{ id: number; hallReference: string | null }> => {
      const row = await sql.get<{ id: number; hallReference: string | null }>(
        sql.dialect({
          // One writer at a time: the statement holds the write lock from its start, so max + 1 is
          // the id SQLite would have given the row itself.
          sqlite: `INSERT INTO entries (id, kiosk_id, seq, kind, payload, payload_hash, status, reason, hall_reference, received_at)
             SELECT n.id, ?, ?, ?, ?, ?, ?, ?, ? || '-' || printf('%08d', n.id), ?
             FROM (SELECT coalesce(max(id), 0) + 1 AS id FROM entries) AS n
             RETURNING id, hall_reference AS "hallReference"`,
          postgres: `WITH n AS (SELECT nextval(pg_get_serial_sequence('entries', 'id')) AS id)
             INSERT INTO entries (id, kiosk_id, seq, kind, payload, payload_hash, status, reason, hall_reference, received_at)
             SELECT n.id, ?, ?, ?, ?, ?, ?, ?, ?::text || '-' || lpad(n.id::text, greatest(8, length(n.id::text)), '0'), ?
             FROM n
             RETURNING id, hall_reference AS "hallReference"`,
        }),
        [
          e.kioskId,
          e.seq,
          e.kind,
          sql.seal(e.payload),
          e.payloadHash,
          e.status,
          e.reason,
          e.referencePrefix,
          e.at,
        ],
      );
      if (!row) throw new Error('entries: the insert returned no row');
      return { id: Number(row.id), hallReference: row.hallReference };
    },
    async markRejected(id: number, reason: string): Promise<void> {
      await sql.run(
        "UPDATE entries SET status = 'rejected', reason = ?, hall_reference = NULL WHERE id = ?",
        [reason, id],
      );
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
