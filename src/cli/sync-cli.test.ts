import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../backend/index.js';
import { startHallServer, type HallServer } from '../hall/index.js';
import { buildCli } from './main.js';

let dir: string;
let out: string[];
let err: string[];
let hall: HallServer | null = null;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'zizhu-cli-sync-'));
  out = [];
  err = [];
});
afterEach(async () => {
  await hall?.close();
  hall = null;
  rmSync(dir, { recursive: true, force: true });
});

const env = () => ({ KIOSK_DATA_DIR: join(dir, 'kiosk'), HALL_DATA_DIR: join(dir, 'hall') });
const cli = () => buildCli({ out: (l) => out.push(l), err: (l) => err.push(l) }, env());
const lastJson = <T>() => JSON.parse(out[out.length - 1] ?? 'null') as T;

describe('sync and hall commands', () => {
  it('creates a code, enrols, reports status and syncs with exit 0 only on an empty backlog', async () => {
    expect(await cli().run(['hall', 'enrollment-code', '--jurisdiction', '610113', '--json'])).toBe(0);
    const { code, jurisdiction } = lastJson<{ code: string; jurisdiction: string }>();
    expect([code.length, jurisdiction]).toEqual([12, '610113']);

    expect(await cli().run(['sync', 'now'])).toBe(1);
    expect(err.join('\n')).toMatch(/not enrolled/);

    hall = await startHallServer(
      { host: '127.0.0.1', port: 0, dataDir: join(dir, 'hall') },
      { silent: true },
    );
    expect(await cli().run(['sync', 'enroll', '--hall', hall.url, '--code', code, '--json'])).toBe(0);
    expect(lastJson<{ ok: boolean; kioskId: string }>()).toMatchObject({
      ok: true,
      kioskId: expect.stringMatching(/^K-/) as unknown,
    });
    expect(await cli().run(['sync', 'enroll', '--hall', hall.url, '--code', code])).toBe(1); // one-time
    expect(err.join('\n')).toMatch(/code-used/);

    // A pending ticket in the outbox.
    const opened = openDatabase(join(dir, 'kiosk', 'kiosk.db'));
    if (!opened.ok) throw new Error(opened.message);
    opened.db
      .prepare(
        "INSERT INTO outbox (kind, entity_id, payload, created_at) VALUES ('queue-ticket', 't1', ?, 'now')",
      )
      .run(
        JSON.stringify({
          id: 't1',
          idempotencyKey: 'k1',
          window: 'zzlb',
          number: 'A901',
          serviceDate: '2026-03-02',
          issuedAt: 'now',
          source: 'offline',
        }),
      );
    opened.db.close();

    // The refused second enrolment is the last error, with its time.
    expect(await cli().run(['sync', 'status', '--json'])).toBe(0);
    expect(lastJson()).toEqual({
      backlog: 1,
      lastSuccessAt: null,
      lastError: expect.stringMatching(/^enrolment failed: hall answered 403 code-used/) as unknown,
      lastErrorAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) as unknown,
      online: false,
    });

    const port = hall.port;
    await hall.close();
    hall = null;
    expect(await cli().run(['sync', 'now', '--json'])).toBe(1);
    expect(lastJson<{ ok: boolean; backlog: number }>()).toMatchObject({ ok: false, backlog: 1 });
    expect(await cli().run(['sync', 'status', '--json'])).toBe(0);
    expect(lastJson<{ online: boolean; lastError: string }>()).toMatchObject({
      backlog: 1,
      online: false,
      lastError: expect.stringMatching(/network/) as unknown,
    });

    hall = await startHallServer({ host: '127.0.0.1', port, dataDir: join(dir, 'hall') }, { silent: true });
    expect(await cli().run(['sync', 'now'])).toBe(0);
    expect(out[out.length - 1]).toMatch(/pushed 1, pulled 0, backlog 0/);
    // A success clears the old error.
    expect(await cli().run(['sync', 'status', '--json'])).toBe(0);
    expect(lastJson()).toEqual({
      backlog: 0,
      online: true,
      lastSuccessAt: expect.any(String) as unknown,
      lastError: null,
      lastErrorAt: null,
    });
  });

  it('refuses `sync status` where the data directory does not exist, creating nothing', async () => {
    const missing = join(dir, 'no-such-kiosk');
    const run = (args: string[]) =>
      buildCli({ out: (l) => out.push(l), err: (l) => err.push(l) }, { KIOSK_DATA_DIR: missing }).run(args);
    expect(await run(['sync', 'status', '--json'])).toBe(1);
    expect(lastJson()).toEqual({
      ok: false,
      error: expect.stringMatching(/data directory .*no-such-kiosk does not exist/) as unknown,
    });
    expect(await run(['sync', 'status'])).toBe(1);
    expect(err.join('\n')).toMatch(/does not exist/);
    expect(existsSync(missing)).toBe(false);
    // An existing directory without a kiosk database is refused too, and stays empty.
    mkdirSync(missing);
    expect(await run(['sync', 'status', '--json'])).toBe(1);
    expect(lastJson<{ error: string }>().error).toMatch(/no kiosk database/);
    expect(readdirSync(missing)).toEqual([]);
  });

  it('creates a staff token', async () => {
    expect(
      await cli().run(['hall', 'staff-token', '--jurisdiction', '610102', '--name', 'wang', '--json']),
    ).toBe(0);
    expect(lastJson<{ token: string; jurisdiction: string }>()).toMatchObject({
      jurisdiction: '610102',
      token: expect.stringMatching(/^[\w-]{40,}$/) as unknown,
    });
  });

  it('refuses bad usage', async () => {
    expect(await cli().run(['sync', 'enroll', '--code', 'X'])).toBe(2);
    expect(await cli().run(['hall', 'enrollment-code', '--jurisdiction', 'bad code!'])).toBe(2);
  });
});
