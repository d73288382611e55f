import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../backend/index.js';
import { purgeAcknowledged } from './retention.js';
import { markAcked } from './store.js';
import { fixtureId, kioskRecords, seedCatalogRow, submitApplication } from './testing/kiosk-fixture.js';

let root: string;
let db: Db;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'zizhu-retention-'));
  const opened = openDatabase(join(root, 'kiosk.db'));
  if (!opened.ok) throw new Error(opened.message);
  db = opened.db;
  seedCatalogRow(db);
});
afterEach(() => {
  db.close();
  rmSync(root, { recursive: true, force: true });
});

describe('retention purge', () => {
  it('forgets personal data and files only after the hall acknowledged and the window passed', () => {
    const blobs = join(root, 'blobs');
    const shared = Buffer.from('page shared by two applications');
    const s1 = submitApplication(db, blobs, 'app-1', [shared, Buffer.from('only app-1')]);
    submitApplication(db, blobs, 'app-2', [shared]);
    // The hall applied app-1 only.
    const records = kioskRecords(db);
    markAcked(
      db,
      s1,
      [{ seq: s1, status: 'applied', hallReference: 'H-1' }],
      '2026-03-01T00:00:00.000Z',
      records,
    );
    const id1 = fixtureId('app-1');
    const file = (sha: string) => join(blobs, sha.slice(0, 2), sha);
    const shas = db
      .prepare('SELECT sha256 FROM application_attachments WHERE application_id = ? ORDER BY position')
      .pluck()
      .all(id1) as string[];

    const early = purgeAcknowledged({
      db,
      blobDir: blobs,
      clock: () => new Date('2026-03-10T00:00:00Z'),
      records,
      retentionMs: 30 * 86400_000,
    });
    expect(early).toEqual({ applications: 0, blobs: 0, archives: 0 });

    const late = purgeAcknowledged({
      db,
      blobDir: blobs,
      clock: () => new Date('2026-04-10T00:00:00Z'),
      records,
      retentionMs: 30 * 86400_000,
    });
    expect(late).toEqual({ applications: 1, blobs: 1, archives: 0 });
    const app1 = db
      .prepare(
        'SELECT applicant_name, applicant_id_number, applicant_masked, status, purged_at FROM applications WHERE id = ?',
      )
      .get(id1);
    expect(app1).toMatchObject({
      applicant_name: null,
      applicant_id_number: null,
      applicant_masked: '张*',
      status: 'received',
    });
    expect(db.prepare('SELECT payload FROM outbox WHERE seq = ?').pluck().get(s1)).toBe(
      `{"purged":true,"id":"${id1}"}`,
    );
    // The page app-2 still needs stays; app-1's own page is gone.
    expect(existsSync(file(shas[0] ?? ''))).toBe(true);
    expect(existsSync(file(shas[1] ?? ''))).toBe(false);
    expect(
      db.prepare('SELECT applicant_name FROM applications WHERE id = ?').pluck().get(fixtureId('app-2')),
    ).toBe('张三');
    // Idempotent.
    expect(
      purgeAcknowledged({
        db,
        blobDir: blobs,
        clock: () => new Date('2026-04-11T00:00:00Z'),
        records,
        retentionMs: 30 * 86400_000,
      }),
    ).toEqual({ applications: 0, blobs: 0, archives: 0 });
  });
});
