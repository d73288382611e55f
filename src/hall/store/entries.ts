/** What kiosks pushed (one row per kiosk and seq, applied or rejected) and the alerts it raised. */
import type { HallDb } from './db.js';

export type StoredEntry = {
  id: number;
  payloadHash: string;
  status: 'applied' | 'rejected';
  reason: string | null;
  hallReference: string | null;
};

export function createEntryStore(db: HallDb) {
  const q = {
    entry: db.prepare(
      'SELECT id, payload_hash AS payloadHash, status, reason, hall_reference AS hallReference FROM entries WHERE kiosk_id = ? AND seq = ?',
    ),
    insEntry: db.prepare(
      `INSERT INTO entries (kiosk_id, seq, kind, payload, payload_hash, status, reason, hall_reference, received_at)
       VALUES (@kioskId, @seq, @kind, zk_seal(@payload), @payloadHash, @status, @reason, NULL, @at)`,
    ),
    setRef: db.prepare('UPDATE entries SET hall_reference = ? WHERE id = ?'),
    reject: db.prepare("UPDATE entries SET status = 'rejected', reason = ? WHERE id = ?"),
    alert: db.prepare('INSERT INTO alerts (at, kiosk_id, kind, detail) VALUES (?, ?, ?, ?)'),
  };

  return {
    get: (kioskId: string, seq: number): StoredEntry | undefined =>
      q.entry.get(kioskId, seq) as StoredEntry | undefined,
    /** Records an entry as received; returns its id. */
    insert: (e: {
      kioskId: string;
      seq: number;
      kind: string;
      payload: string;
      payloadHash: string;
      status: 'applied' | 'rejected';
      reason: string | null;
      at: string;
    }): number => Number(q.insEntry.run(e).lastInsertRowid),
    setReference(id: number, hallReference: string): void {
      q.setRef.run(hallReference, id);
    },
    markRejected(id: number, reason: string): void {
      q.reject.run(reason, id);
    },
    alert(a: { at: string; kioskId: string | null; kind: string; detail: unknown }): void {
      q.alert.run(a.at, a.kioskId, a.kind, JSON.stringify(a.detail));
    },
  };
}

export type EntryStore = ReturnType<typeof createEntryStore>;
