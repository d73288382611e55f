/**
 * `hall db backup / restore / new-epoch / reseal` with HALL_DATABASE_URL (the hall on PostgreSQL,
 * docs/hall-store.md "Backup and restore"), through the CLI against a throwaway cluster (one for the
 * file, a fresh database per test): a new epoch, running nodes told over NOTIFY; a pg_dump backup and a restore that puts it back
 * and starts a `restored` epoch; the refusals (not a hall backup, a newer hall's backup, another
 * session still connected, no pg_dump) that change nothing; the URL's password never in a message
 * nor in the tools' argument lists (PGPASSWORD only); and `reseal`, the key rotation.
 */
import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { postgresValuesNotSealedWithCurrentKey } from '../hall/store/index.js';
import { findPgTools, openHallStore } from '../hall/store/index.js';
import { keyIdOf, sealedKeyId } from '../shared/at-rest/index.js';
import { PG_LATEST_VERSION } from '../hall/store/pg-migrate.js';
import { startPostgresCluster, type PostgresCluster } from '../testing/postgres-cluster.js';
import { buildCli } from './main.js';

let cluster: PostgresCluster;
let dir: string;
let dataDir: string;
let url: string;
let out: string[];
let err: string[];

beforeAll(async () => {
  cluster = await startPostgresCluster();
}, 60_000);
afterAll(async () => {
  await cluster.destroy();
});

async function admin<T extends pg.QueryResultRow>(statement: string, on = cluster.url) {
  const c = new pg.Client({ connectionString: on });
  await c.connect();
  try {
    return (await c.query<T>(statement)).rows;
  } finally {
    await c.end();
  }
}

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'zizhu-hall-db-engine-'));
  dataDir = join(dir, 'hall');
  mkdirSync(dataDir);
  out = [];
  err = [];
  // Trust authentication ignores the password; it is there to be kept out of sight.
  const u = new URL((await cluster.createDatabase('engine_cli')).url);
  u.password = 'pw-secret';
  url = u.href;
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const cli = (extra: Record<string, string> = {}) =>
  buildCli(
    { out: (l) => out.push(l), err: (l) => err.push(l) },
    { HALL_DATA_DIR: dataDir, HALL_DATABASE_URL: url, ...extra },
  );
/** Runs the CLI; every line it printed is checked for the password. */
async function run(args: string[], extra: Record<string, string> = {}) {
  out = [];
  err = [];
  const code = await cli(extra).run(args);
  expect([...out, ...err].join('\n')).not.toContain('pw-secret');
  return code;
}
const json = () => JSON.parse(out.join('\n')) as { ok: boolean; epoch: { reason: string; id: string } };

/** The hall's epochs, oldest first, and its kiosks, read through its store. */
async function hallState() {
  const opened = await openHallStore({ dataDir, databaseUrl: url });
  if (!opened.ok) throw new Error(opened.message);
  try {
    const { sql } = opened.store;
    return {
      epochs: (
        await sql.all<{ reason: string }>('SELECT reason FROM log_epochs ORDER BY first_position, started_at')
      ).map((e) => e.reason),
      codes: Number(await sql.value<number>('SELECT count(*) FROM enrollment_codes')),
    };
  } finally {
    await opened.store.close();
  }
}

describe('hall db on PostgreSQL (HALL_DATABASE_URL)', () => {
  it('new-epoch, backup, restore: the backup put back, a `restored` epoch started', async () => {
    // A running node listens on the change channel: a new epoch wakes its long-polls.
    const node = new pg.Client({ connectionString: url });
    await node.connect();
    const told: string[] = [];
    node.on('notification', (m) => told.push(`${m.channel} ${m.payload ?? ''}`));
    await node.query('LISTEN zizhu_changes');
    try {
      expect(await run(['hall', 'db', 'new-epoch', '--json'])).toBe(0);
      expect(json().epoch.reason).toBe('operator');
      await expect.poll(() => told).toEqual([expect.stringMatching(/^zizhu_changes cli-[0-9a-f]{12}:\*$/)]);
    } finally {
      await node.end();
    }

    const backup = join(dir, 'hall.dump');
    expect(await run(['hall', 'db', 'backup', backup, '--json'])).toBe(0);
    expect(JSON.parse(out.join('\n'))).toEqual({ ok: true, backup, engine: 'postgres' });
    expect(statSync(backup).mode & 0o777).toBe(0o600);
    // A backup never overwrites a file.
    expect(await run(['hall', 'db', 'backup', backup])).not.toBe(0);
    expect(err.join('\n')).toMatch(/exists/);

    // After the backup: another epoch and an enrolment code, both lost by the restore.
    expect(await run(['hall', 'db', 'new-epoch'])).toBe(0);
    expect(await run(['hall', 'enrollment-code', '--jurisdiction', '610113'])).toBe(0);
    expect(await hallState()).toEqual({ epochs: ['created', 'operator', 'operator'], codes: 1 });

    expect(await run(['hall', 'db', 'restore', backup, '--json'])).toBe(0);
    expect(json().epoch.reason).toBe('restored');
    expect(await hallState()).toEqual({ epochs: ['created', 'operator', 'restored'], codes: 0 });
    // The change-log mark beside the key names the restored epoch.
    const mark = JSON.parse(readFileSync(join(dataDir, 'change-log-mark.json'), 'utf8')) as { epoch: string };
    expect(mark.epoch).toBe(json().epoch.id);
  });

  it('restore refuses what is not this hall’s backup, and while a session is connected; a failed load is rolled back', async () => {
    expect(await run(['hall', 'db', 'new-epoch'])).toBe(0);
    const before = await hallState();

    const text = join(dir, 'not-a-dump');
    writeFileSync(text, 'hello');
    expect(await run(['hall', 'db', 'restore', text])).not.toBe(0);
    expect(err.join('\n')).toMatch(/not a pg_dump archive/);

    // A pg_dump of another database (no hall tables) is refused by backup and by restore.
    const other = join(dir, 'other.dump');
    const bin = findPgTools(['pg_dump'], { path: process.env.PATH ?? '' });
    if (bin === null) throw new Error('pg_dump not found');
    execFileSync(join(bin, 'pg_dump'), ['-Fc', '-f', other, `--dbname=${cluster.url}`]);
    expect(await run(['hall', 'db', 'restore', other])).not.toBe(0);
    expect(err.join('\n')).toMatch(/not a backup of a hall database/);

    // A hall database of a newer version: its backup is refused, and so is its restore.
    const newer = join(dir, 'newer.dump');
    await admin(`UPDATE hall_schema SET version = ${PG_LATEST_VERSION + 1}`, url);
    expect(await run(['hall', 'db', 'backup', newer])).not.toBe(0);
    expect(err.join('\n')).toMatch(/newer hall/);
    expect(existsSync(newer)).toBe(false);
    execFileSync(join(bin, 'pg_dump'), ['-Fc', '-f', newer, `--dbname=${url.replace(':pw-secret', '')}`]);
    await admin(`UPDATE hall_schema SET version = ${PG_LATEST_VERSION}`, url);
    expect(await run(['hall', 'db', 'restore', newer])).not.toBe(0);
    expect(err.join('\n')).toMatch(/newer hall \(schema \d+, this hall knows \d+\)/);

    // A good backup, but a node (here: any session) is still connected.
    const good = join(dir, 'good.dump');
    expect(await run(['hall', 'db', 'backup', good])).toBe(0);
    const node = new pg.Client({ connectionString: url });
    await node.connect();
    try {
      expect(await run(['hall', 'db', 'restore', good])).not.toBe(0);
      expect(err.join('\n')).toMatch(/1 other connection\(s\).*stop every hall node/);
    } finally {
      await node.end();
    }
    expect(await hallState()).toEqual(before);

    // An archive cut short: its table of contents and hall_schema read, its last data do not. The
    // schema was emptied and half loaded (log_epochs among the first) when pg_restore failed: all
    // of it rolled back — the epoch started after that backup is still there.
    expect(await run(['hall', 'db', 'new-epoch'])).toBe(0);
    const after = await hallState();
    expect(after.epochs).toEqual([...before.epochs, 'operator']);
    const cut = join(dir, 'cut.dump');
    const bytes = readFileSync(good);
    writeFileSync(cut, bytes.subarray(0, bytes.length - 50));
    expect(await run(['hall', 'db', 'restore', cut])).not.toBe(0);
    expect(err.join('\n')).toMatch(
      /failed and was rolled back \(nothing changed\): pg_restore: .*end of file/,
    );
    expect(await hallState()).toEqual(after);
    expect(existsSync(join(dataDir, 'change-log-mark.json'))).toBe(true);
  }, 30_000);

  it('pg_dump gets the URL without its password (PGPASSWORD carries it); a missing pg_dump is said so', async () => {
    // A stand-in pg_dump / pg_restore that records what it was given, then fails.
    const fake = join(dir, 'fake-bin');
    mkdirSync(fake);
    for (const tool of ['pg_dump', 'pg_restore', 'psql']) {
      writeFileSync(
        join(fake, tool),
        `#!/bin/sh\nprintf '%s\\n' "$0" "$@" >> ${join(dir, 'argv')}\nprintf '%s\\n' "$PGPASSWORD" > ${join(dir, 'pgpassword')}\necho "could not connect" >&2\nexit 1\n`,
      );
      chmodSync(join(fake, tool), 0o755);
    }
    const dest = join(dir, 'b.dump');
    expect(await run(['hall', 'db', 'backup', dest], { PG_BIN_DIR: fake })).not.toBe(0);
    expect(err.join('\n')).toMatch(
      /pg_dump of the hall database on 127\.0\.0\.1:\d+\/engine_cli_\d+ failed: could not connect/,
    );
    const argv = readFileSync(join(dir, 'argv'), 'utf8');
    expect(argv).toContain('--format=custom');
    expect(argv).toContain(`--dbname=postgres://postgres@127.0.0.1:${cluster.port}/`);
    expect(argv).not.toContain('pw-secret');
    expect(readFileSync(join(dir, 'pgpassword'), 'utf8').trim()).toBe('pw-secret');
    expect(existsSync(dest)).toBe(false);

    const empty = join(dir, 'empty-bin');
    mkdirSync(empty);
    expect(await run(['hall', 'db', 'backup', dest], { PG_BIN_DIR: empty })).not.toBe(0);
    expect(err.join('\n')).toMatch(
      /pg_dump and pg_restore not found in PG_BIN_DIR=.*empty-bin.*postgresql-client/,
    );
    expect(existsSync(dest)).toBe(false);
  });

  it('reseal: every sealed value and the lookup key under a new key, the previous key removed; refused while a node runs', async () => {
    expect(
      await run([
        'hall',
        'licence-add',
        '--id-number',
        '610102199001011234',
        '--material',
        'sfz',
        '--licence-no',
        'LIC-0042',
      ]),
    ).toBe(0);
    const keyIdOfFile = () => keyIdOf(readFileSync(join(dataDir, 'hall.key')));
    const oldKey = keyIdOfFile();
    const sealedNumber = async () => {
      const opened = await openHallStore({ dataDir, databaseUrl: url });
      if (!opened.ok) throw new Error(opened.message);
      try {
        const v = (await opened.store.sql.value<string>('SELECT licence_no FROM licences')) ?? '';
        return { keyId: sealedKeyId(v), plain: opened.store.sql.open(v) };
      } finally {
        await opened.store.close();
      }
    };
    expect(await sealedNumber()).toEqual({ keyId: oldKey, plain: 'LIC-0042' });

    const node = new pg.Client({ connectionString: url });
    await node.connect();
    try {
      expect(await run(['hall', 'db', 'reseal'])).not.toBe(0);
      expect(err.join('\n')).toMatch(/1 other connection\(s\).*stop every hall node.*key rotation/);
    } finally {
      await node.end();
    }
    expect(keyIdOfFile()).toBe(oldKey);

    expect(await run(['hall', 'db', 'reseal', '--json'])).toBe(0);
    const r = JSON.parse(out.join('\n')) as {
      keyId: string;
      previousKeyId: string;
      values: Record<string, number>;
    };
    expect(r.previousKeyId).toBe(oldKey);
    expect(r.keyId).toBe(keyIdOfFile());
    expect(r.keyId).not.toBe(oldKey);
    expect(r.values['licences.licence_no']).toBe(1);
    expect(r.values['hall_meta.value']).toBeGreaterThanOrEqual(1);
    expect(existsSync(join(dataDir, 'hall.key.previous'))).toBe(false);
    // Read back with the new key alone: the number, and the lookup key (the store opens).
    expect(await sealedNumber()).toEqual({ keyId: r.keyId, plain: 'LIC-0042' });
    const opened = await openHallStore({ dataDir, databaseUrl: url });
    if (!opened.ok) throw new Error(opened.message);
    try {
      expect(await postgresValuesNotSealedWithCurrentKey(opened.store.sql)).toBe(0);
    } finally {
      await opened.store.close();
    }
  });
});
