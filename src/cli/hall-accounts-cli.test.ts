/**
 * `hall staff add|reset|disable|accounts` through the CLI's entry (buildCli, and once the real
 * process with a piped password): the password policy's errors, and the accounts signing in at a
 * listening hall — reset and disable end the open sessions — while staff tokens keep working.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startHallServer, type HallServer } from '../hall/index.js';
import { buildCli } from './main.js';

let dir: string;
let out: string[];
let err: string[];
let hall: HallServer | null = null;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'zizhu-cli-accounts-'));
  out = [];
  err = [];
});
afterEach(async () => {
  await hall?.close();
  hall = null;
  rmSync(dir, { recursive: true, force: true });
});

const env = () => ({ HALL_DATA_DIR: join(dir, 'hall') });
const cli = (stdin = '') =>
  buildCli({ out: (l) => out.push(l), err: (l) => err.push(l), stdin: () => Promise.resolve(stdin) }, env());
const lastJson = <T>() => JSON.parse(out[out.length - 1] ?? 'null') as T;

async function signIn(h: HallServer, login: string, password: string) {
  const res = await fetch(new URL('v1/staff/login', h.url), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ login, password }),
  });
  return { status: res.status, cookie: (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '' };
}
const me = async (h: HallServer, cookie: string) =>
  (await fetch(new URL('v1/staff/me', h.url), { headers: { cookie } })).status;

describe('hall staff accounts', { timeout: 60_000 }, () => {
  it('adds, lists, resets and disables accounts that sign in at the hall', async () => {
    const add = (login: string, password: string, ...extra: string[]) =>
      cli(`${password}\n`).run([
        'hall',
        'staff',
        'add',
        login,
        '--name',
        '王科员',
        '--role',
        'clerk,approver',
        '--jurisdiction',
        '610102,610113',
        '--password-stdin',
        ...extra,
      ]);
    // The policy, with reasons.
    expect(await add('wang', 'short1')).toBe(1);
    expect(err.join('\n')).toMatch(/at least 10 characters/);
    expect(await add('wang', 'abcdefghijklmn')).toBe(1);
    expect(err.join('\n')).toMatch(/two of letters, digits and symbols/);
    expect(
      await cli('good-pass-2026\n').run([
        'hall',
        'staff',
        'add',
        'li',
        '--name',
        '李',
        '--role',
        'boss',
        '--jurisdiction',
        '610102',
        '--password-stdin',
      ]),
    ).toBe(1);
    expect(err.join('\n')).toMatch(/unknown role.*boss/);
    expect(
      await cli('good-pass-2026\n').run([
        'hall',
        'staff',
        'add',
        'li',
        '--name',
        '李',
        '--role',
        'clerk',
        '--jurisdiction',
        '61010',
        '--password-stdin',
      ]),
    ).toBe(1);
    expect(err.join('\n')).toMatch(/bad jurisdiction code/);
    // Never on the command line.
    expect(
      await cli().run([
        'hall',
        'staff',
        'add',
        'li',
        '--name',
        '李',
        '--role',
        'clerk',
        '--jurisdiction',
        '610102',
      ]),
    ).toBe(1);
    expect(err.join('\n')).toMatch(/--password-stdin/);

    expect(await add('wang', 'desk-pass-2026', '--json')).toBe(0);
    expect(lastJson<{ account: { login: string; roles: string[] } }>().account).toMatchObject({
      login: 'wang',
      roles: ['clerk', 'approver'],
      jurisdictions: ['610102', '610113'],
      disabled: false,
    });
    expect(await add('wang', 'desk-pass-2026')).toBe(1);
    expect(err.join('\n')).toMatch(/already exists/);

    expect(await cli().run(['hall', 'staff', 'accounts'])).toBe(0);
    expect(out.join('\n')).toMatch(/wang\s+王科员\s+clerk,approver\s+610102,610113\s+active/);
    expect(out.join('\n')).not.toMatch(/scrypt/);

    hall = await startHallServer(
      { host: '127.0.0.1', port: 0, dataDir: join(dir, 'hall') },
      { silent: true },
    );
    const first = await signIn(hall, 'wang', 'desk-pass-2026');
    expect(first.status).toBe(200);
    expect(await me(hall, first.cookie)).toBe(200);

    expect(await cli('new-pass-2027\n').run(['hall', 'staff', 'reset', 'wang', '--password-stdin'])).toBe(0);
    expect(out.at(-1)).toBe('password of wang reset; 1 open session(s) ended');
    expect(await me(hall, first.cookie)).toBe(401);
    expect((await signIn(hall, 'wang', 'desk-pass-2026')).status).toBe(401);
    const second = await signIn(hall, 'wang', 'new-pass-2027');
    expect(second.status).toBe(200);

    expect(await cli().run(['hall', 'staff', 'disable', 'wang', '--json'])).toBe(0);
    expect(lastJson<{ sessionsEnded: number }>().sessionsEnded).toBe(1);
    expect(await me(hall, second.cookie)).toBe(401);
    expect((await signIn(hall, 'wang', 'new-pass-2027')).status).toBe(401);
    expect(await cli().run(['hall', 'staff', 'accounts', '--json'])).toBe(0);
    expect(lastJson<{ accounts: { disabled: boolean }[] }>().accounts[0]?.disabled).toBe(true);
    expect(await cli().run(['hall', 'staff', 'disable', 'nobody'])).toBe(1);
    expect(await cli('x-pass-2026-1\n').run(['hall', 'staff', 'reset', 'nobody', '--password-stdin'])).toBe(
      1,
    );

    // Bearer tokens for machine clients are as they were.
    expect(
      await cli().run(['hall', 'staff-token', '--jurisdiction', '610102', '--name', '接口', '--json']),
    ).toBe(0);
    expect(await cli().run(['hall', 'staff', 'list', '--json'])).toBe(0);
    expect(lastJson<{ tokens: unknown[] }>().tokens).toHaveLength(1);
  });

  it('reads the password from the real process’s standard input', () => {
    const r = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        'src/cli/main.ts',
        'hall',
        'staff',
        'add',
        'zhao',
        '--name',
        '赵督查',
        '--role',
        'supervisor',
        '--jurisdiction',
        '610102',
        '--password-stdin',
        '--json',
      ],
      { input: 'piped-pass-2026\n', env: { ...process.env, ...env() }, encoding: 'utf8', timeout: 50_000 },
    );
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout.trim().split('\n').at(-1) ?? '{}')).toMatchObject({
      ok: true,
      account: { login: 'zhao', roles: ['supervisor'] },
    });
  });
});
