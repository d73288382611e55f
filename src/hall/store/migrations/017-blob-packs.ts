/**
 * Migration 17, blob packs (docs/blob-store.md): a complete blob is either its own file
 * (`blobs/<aa>/<sha256>`, `pack` NULL — what every earlier hall wrote, and still the resumable /v1
 * upload's result) or one record of a pack file written by a batch (`blobs/packs/<pack>.pack`):
 * `pack_offset` is where its sealed envelope starts in that file and `stored_length` how many bytes
 * it is. The three are set together or not at all. `blobs_pack` finds a pack's blobs (GC, compaction).
 * Released: never edit it, add the next migration.
 */
import type { Migration } from '../../../sqlite/index.js';

export const migration017: Migration = {
  version: 17,
  name: 'blob packs',
  sql: /* sql */ `
ALTER TABLE blobs ADD COLUMN pack TEXT
  CHECK (pack IS NULL OR (length(pack) = 32 AND pack NOT GLOB '*[^0-9a-f]*'));
ALTER TABLE blobs ADD COLUMN pack_offset INTEGER
  CHECK ((pack_offset IS NULL) = (pack IS NULL) AND (pack_offset IS NULL OR pack_offset >= 0));
ALTER TABLE blobs ADD COLUMN stored_length INTEGER
  CHECK ((stored_length IS NULL) = (pack IS NULL) AND (stored_length IS NULL OR stored_length > 0));
CREATE INDEX blobs_pack ON blobs(pack) WHERE pack IS NOT NULL;
`,
};
