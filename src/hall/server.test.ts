import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadHallConfig } from './config.js';
import { startHallServer } from './server.js';
import { HALL_MIGRATIONS, openHallDatabase } from './store/index.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'zizhu-hall-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('hall', () => {
  it('reads HALL_PORT and HALL_DATA_DIR with documented defaults', () => {
    expect(loadHallConfig({ HOME: '/h' })).toEqual({
      ok: true,
      config: {
        host: '127.0.0.1',
        port: 8790,
        dataDir: '/h/.local/share/zizhu-hall',
        warnDays: 2,
        followupDays: 5,
        timeZone: 'Asia/Shanghai',
        blobGc: { everyHours: 24, retentionDays: 30 },
      },
    });
    expect(loadHallConfig({ HALL_PORT: 'abc' }).ok).toBe(false);
    expect(
      loadHallConfig({ HOME: '/h', HALL_WARN_DAYS: '0', HALL_FOLLOWUP_DAYS: '15', HALL_CALENDAR: '/c.json' }),
    ).toMatchObject({
      ok: true,
      config: { warnDays: 0, followupDays: 15, calendarPath: '/c.json' },
    });
    expect(loadHallConfig({ HALL_WARN_DAYS: '-1' }).ok).toBe(false);
    expect(loadHallConfig({ HALL_FOLLOWUP_DAYS: '0' }).ok).toBe(false);
    expect(loadHallConfig({ HALL_TIME_ZONE: 'Mars/Olympus' }).ok).toBe(false);
    // HALL_NOTIFY_URL: the PostgreSQL the nodes share for LISTEN/NOTIFY, or unset for one node.
    expect(loadHallConfig({ HOME: '/h', HALL_NOTIFY_URL: 'postgres://u:p@db:5432/hall' })).toMatchObject({
      ok: true,
      config: { notifyUrl: 'postgres://u:p@db:5432/hall' },
    });
    expect(loadHallConfig({ HOME: '/h' })).not.toHaveProperty('config.notifyUrl');
    for (const bad of ['mysql://u:p@db/x', 'postgres://', 'db:5432']) {
      const r = loadHallConfig({ HOME: '/h', HALL_NOTIFY_URL: bad });
      expect(r.ok).toBe(false);
      expect(JSON.stringify(r)).not.toContain(':p@');
    }
  });

  it('starts on loopback with its own durable store and answers info', async () => {
    const hall = await startHallServer({ host: '127.0.0.1', port: 0, dataDir: dir }, { silent: true });
    try {
      expect(hall.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
      const info = (await (await fetch(`${hall.url}v1/info`)).json()) as {
        protocolVersion: number;
        kiosks: number;
      };
      expect(info).toMatchObject({ name: 'zizhu-hall', protocolVersion: 1, kiosks: 0 });
    } finally {
      await hall.close();
    }
    const db = new Database(join(dir, 'hall.db'));
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('user_version', { simple: true })).toBe(HALL_MIGRATIONS.length);
    db.close();
  });

  it('refuses a database from a newer hall', () => {
    const db = new Database(join(dir, 'hall.db'));
    db.pragma('user_version = 99');
    db.close();
    const r = openHallDatabase(join(dir, 'hall.db'));
    expect(r).toMatchObject({ ok: false, error: 'newer-version', found: 99 });
    if (!r.ok) expect(r.message).toMatch(/newer hall/);
  });
});
