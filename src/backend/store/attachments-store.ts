/**
 * Scanned files: `attachments` (content-addressed by sha256; the bytes live in the blob store at
 * <dataDir>/blobs/<aa>/<sha256>) and `application_attachments` (which pages of which material belong
 * to which application, a 补正 supplement's pages marked with its id).
 */
import type { Db } from './db.js';

export type NewAttachment = {
  sha256: string;
  size: number;
  mime: string;
  capturedAt: string;
  device: string;
};

export function createAttachmentsStore(db: Db) {
  const q = {
    insert: db.prepare(
      'INSERT OR IGNORE INTO attachments (sha256, size, mime, pages, captured_at, device) VALUES (?, ?, ?, 1, ?, ?)',
    ),
    link: db.prepare(
      'INSERT INTO application_attachments (application_id, material_code, sha256, position, supplement_id) VALUES (?, ?, ?, ?, ?)',
    ),
    maxPosition: db
      .prepare(
        'SELECT coalesce(max(position), -1) FROM application_attachments WHERE application_id = ? AND material_code = ?',
      )
      .pluck(),
    submitted: db.prepare(
      'SELECT material_code, sha256 FROM application_attachments WHERE application_id = ? AND supplement_id IS NULL ORDER BY material_code, position',
    ),
    all: db.prepare(
      'SELECT material_code, sha256 FROM application_attachments WHERE application_id = ? ORDER BY material_code, position',
    ),
    referenced: db.prepare('SELECT 1 FROM application_attachments WHERE sha256 = ? LIMIT 1').pluck(),
    // A file goes when no application that still keeps its data references it.
    purgeFiles: db.prepare(
      `UPDATE attachments SET purged_at = ?
       WHERE purged_at IS NULL
         AND sha256 IN (SELECT aa.sha256 FROM application_attachments aa JOIN applications a ON a.id = aa.application_id WHERE a.purged_at IS NOT NULL)
         AND sha256 NOT IN (SELECT aa.sha256 FROM application_attachments aa JOIN applications a ON a.id = aa.application_id WHERE a.purged_at IS NULL)`,
    ),
    purged: db.prepare('SELECT sha256 FROM attachments WHERE purged_at IS NOT NULL').pluck(),
  };

  const byMaterial = (rows: { material_code: string; sha256: string }[]): Map<string, string[]> => {
    const out = new Map<string, string[]>();
    for (const a of rows) out.set(a.material_code, [...(out.get(a.material_code) ?? []), a.sha256]);
    return out;
  };

  return {
    /** Records a page file (once per file) and puts it at `position` of a material of an application. */
    attach(a: {
      applicationId: string;
      materialCode: string;
      position: number;
      supplementId: string | null;
      file: NewAttachment;
    }): void {
      q.insert.run(a.file.sha256, a.file.size, a.file.mime, a.file.capturedAt, a.file.device);
      q.link.run(a.applicationId, a.materialCode, a.file.sha256, a.position, a.supplementId);
    },
    /** The next free position of a material (after the pages already there). */
    nextPosition: (applicationId: string, materialCode: string): number =>
      (q.maxPosition.get(applicationId, materialCode) as number) + 1,
    /** The submitted pages by material (supplements left out), in order. */
    submittedPages: (applicationId: string): Map<string, string[]> =>
      byMaterial(q.submitted.all(applicationId) as { material_code: string; sha256: string }[]),
    /** Every page by material, supplements included, in order. */
    allPages: (applicationId: string): Map<string, string[]> =>
      byMaterial(q.all.all(applicationId) as { material_code: string; sha256: string }[]),
    /** Whether any application holds this file. */
    isReferenced: (sha256: string): boolean => q.referenced.get(sha256) !== undefined,
    /** Marks the files only purged applications reference; returns every purged file. */
    purgeUnreferenced(at: string): string[] {
      q.purgeFiles.run(at);
      return q.purged.all() as string[];
    },
  };
}
export type AttachmentsStore = ReturnType<typeof createAttachmentsStore>;
