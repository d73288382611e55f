/**
 * The CLI side of sync recovery (docs/sync-protocol.md 2 and 5.1; README "Hall"): `sync enroll` on
 * a kiosk whose backend is running is picked up without a restart, and `hall db backup | restore |
 * new-epoch` back up the hall, put a backup back with a new change-log epoch, and start one on demand.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../backend/index.js';
import { openHallDatabase, startHallServer, type HallServer } from '../hall/index.js';
import { createSyncService, type SyncService } from '../sync/index.js';
import { kioskRecords, seedCatalogRow, submitApplication } from '../sync/testing/kiosk-fixture.js';
import { buildCli } from './main.js';

let dir: string;
let out: string[];
let err: string[];
let hall: HallServer | null = null;
let service: SyncService | null = null;
let db: Db | null = null;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'zizhu-cli-recovery-'));
  out = [];
  err = [];
});
afterEach(async () => {
  await service?.stop();
  service = null;
  if (db?.open) db.close();
  db = null;
  await hall?.close();
  hall = null;
  rmSync(dir, { recursive: true, force: true });
});

const env = () => ({ KIOSK_DATA_DIR: join(dir, 'kiosk'), HALL_DATA_DIR: join(dir, 'hall') });
const cli = () => buildCli({ out: (l) => out.push(l), err: (l) => err.push(l) }, env());
const lastJson = <T>() => JSON.parse(out[out.length - 1] ?? 'null') as T;
const silent = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  debug: () => undefined,
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('sync enroll on a running kiosk', () => {
  it('is picked up by the running sync service without a restart, and its backlog goes', async () => {
    hall = await startHallServer(
      { host: '127.0.0.1', port: 0, dataDir: join(dir, 'hall') },
      { silent: true },
    );
    const opened = openDatabase(join(dir, 'kiosk', 'kiosk.db'));
    if (!opened.ok) throw new Error(opened.message);
    db = opened.db;
    seedCatalogRow(db);
    service = createSyncService({
      db,
      blobDir: join(dir, 'kiosk', 'blobs'),
      clock: () => new Date(),
      logger: silent,
      records: kioskRecords(db),
      hall: { url: hall.url },
      enrolmentCheckMs: 100,
      waitMs: 1000,
    });
    service.start();
    submitApplication(db, join(dir, 'kiosk', 'blobs'), 'app-1', [Buffer.from('page')]);
    expect(service.status()).toMatchObject({ enrolled: false, backlog: 1 });

    expect(await cli().run(['hall', 'enrollment-code', '--jurisdiction', '610113', '--json'])).toBe(0);
    const { code } = lastJson<{ code: string }>();
    expect(await cli().run(['sync', 'enroll', '--hall', hall.url, '--code', code, '--json'])).toBe(0);
    const { kioskId } = lastJson<{ kioskId: string }>();

    const s = service;
    for (let i = 0; i < 100 && (s.status().backlog > 0 || !s.status().online); i++) await sleep(50);
    expect(service.status()).toMatchObject({ enrolled: true, kioskId, backlog: 0, online: true });
  });
});

describe('hall db backup, restore and new-epoch', () => {
  const epochs = () => {
    const o = openHallDatabase(join(dir, 'hall', 'hall.db'));
    if (!o.ok) throw new Error(o.message);
    try {
      return o.db.prepare('SELECT id, reason FROM log_epochs ORDER BY rowid').all() as {
        id: string;
        reason: string;
      }[];
    } finally {
      o.db.close();
    }
  };

  it('backs up, starts a new epoch, restores with a new epoch, and refuses what is not a backup', async () => {
    expect(await cli().run(['hall', 'enrollment-code', '--jurisdiction', '610113', '--json'])).toBe(0);
    const backup = join(dir, 'hall-backup.db');
    expect(await cli().run(['hall', 'db', 'backup', backup, '--json'])).toBe(0);
    expect(lastJson()).toEqual({ ok: true, backup, engine: 'sqlite' });
    expect(existsSync(backup)).toBe(true);
    // A backup never overwrites a file.
    expect(await cli().run(['hall', 'db', 'backup', backup, '--json'])).toBe(1);
    expect(lastJson<{ error: string }>().error).toMatch(/exists/);

    const first = epochs();
    expect(first.map((e) => e.reason)).toEqual(['created']);
    expect(await cli().run(['hall', 'db', 'new-epoch', '--json'])).toBe(0);
    const made = lastJson<{ ok: boolean; epoch: { id: string; reason: string } }>();
    expect(made).toMatchObject({ ok: true, epoch: { reason: 'operator' } });
    expect(made.epoch.id).not.toBe(first[0]?.id);

    // Restore: the backup knows only the first epoch; the restore starts another.
    expect(await cli().run(['hall', 'db', 'restore', backup, '--json'])).toBe(0);
    const restored = lastJson<{ ok: boolean; restored: string; epoch: { id: string; reason: string } }>();
    expect(restored).toMatchObject({ ok: true, restored: backup, epoch: { reason: 'restored' } });
    expect(epochs().map((e) => e.reason)).toEqual(['created', 'restored']);
    expect(epochs()[0]?.id).toBe(first[0]?.id);

    // Not a hall database: refused with a reason, the hall's database untouched.
    const junk = join(dir, 'junk.db');
    writeFileSync(junk, 'not sqlite at all');
    expect(await cli().run(['hall', 'db', 'restore', junk])).toBe(1);
    expect(err.join('\n')).toMatch(/junk\.db/);
    expect(await cli().run(['hall', 'db', 'restore', join(dir, 'missing.db'), '--json'])).toBe(1);
    expect(lastJson<{ error: string }>().error).toMatch(/does not exist/);
    expect(epochs().map((e) => e.reason)).toEqual(['created', 'restored']);
    // Plain text says what happened, in both languages.
    expect(await cli().run(['hall', 'db', 'new-epoch'])).toBe(0);
    expect(out[out.length - 1]).toMatch(/new change-log epoch [0-9a-f]{16} \(operator\).*新的变更日志纪元/);
  });
});
