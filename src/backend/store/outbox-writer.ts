/**
 * The one way into the outbox (docs/contract.md, "Entry kinds"): an entry of the wire contract,
 * kind and payload tied by the `Entry` union, encoded by the contract's `encodeEntry`. Called inside
 * the transaction that writes the business rows, so the entry commits with them or not at all.
 * The payload is sealed at rest (`zk_seal`; the sync client reads it with `zk_open`).
 */
import { encodeEntry, type Entry } from '../../shared/wire/index.js';
import type { Db } from './db.js';

export function createOutboxWriter(db: Db) {
  const insert = db.prepare(
    'INSERT INTO outbox (kind, entity_id, payload, created_at) VALUES (?, ?, zk_seal(?), ?)',
  );
  return {
    /** Queues one entry for the hall (its entity is the payload's id); returns its seq. */
    add(entry: Entry, at: string): number {
      return Number(
        insert.run(entry.kind, entry.payload.id, encodeEntry(entry.kind, entry.payload), at).lastInsertRowid,
      );
    },
  };
}
export type OutboxWriter = ReturnType<typeof createOutboxWriter>;
