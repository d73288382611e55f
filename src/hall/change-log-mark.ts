/**
 * The change-log mark (docs/sync-protocol.md, 5.1): the epoch and the last position the hall gave
 * out, kept in a small file beside hall.db — outside the database, so a database file restored
 * from a backup under a hall's data directory is found behind it at the next start. Written after
 * each change commits, without an fsync: a mark lost in a crash only lags, and a lagging mark
 * can only miss a restore (the kiosks' cursors catch that one), never invent one.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { ChangeLogMark, ChangeLogMarkStore } from './change-feed.js';

export const CHANGE_LOG_MARK_FILE = 'change-log-mark.json';

const markSchema = z.object({
  epoch: z.string().regex(/^[0-9a-f]{8,64}$/),
  position: z.number().int().min(0),
});

export function fileChangeLogMark(dataDir: string): ChangeLogMarkStore {
  const path = join(dataDir, CHANGE_LOG_MARK_FILE);
  return {
    read(): ChangeLogMark | null {
      let text: string;
      try {
        text = readFileSync(path, 'utf8');
      } catch {
        return null;
      }
      try {
        const r = markSchema.safeParse(JSON.parse(text) as unknown);
        return r.success ? r.data : null;
      } catch {
        return null;
      }
    },
    write(mark: ChangeLogMark): void {
      const tmp = `${path}.${process.pid}.tmp`;
      writeFileSync(tmp, JSON.stringify(mark), { mode: 0o600 });
      renameSync(tmp, path);
    },
  };
}
