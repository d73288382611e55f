/** The index of complete blobs (the bytes live under <dataDir>/blobs, see src/hall/blob-store.ts). */
import type { HallDb } from './db.js';

export function createBlobIndex(db: HallDb) {
  const q = {
    size: db.prepare('SELECT size FROM blobs WHERE sha256 = ?').pluck(),
    add: db.prepare('INSERT OR IGNORE INTO blobs (sha256, size, received_at) VALUES (?, ?, ?)'),
  };
  return {
    /** The size of a complete blob, or undefined when the hall does not have it. */
    size: (sha256: string): number | undefined => q.size.get(sha256) as number | undefined,
    add(sha256: string, size: number, at: string): void {
      q.add.run(sha256, size, at);
    },
  };
}

export type BlobIndex = ReturnType<typeof createBlobIndex>;
