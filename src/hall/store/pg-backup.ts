/**
 * Backup and restore of a PostgreSQL hall database (docs/hall-store.md, "Backup and restore"; CLI
 * `hall db backup | restore` with HALL_DATABASE_URL) with the server's own tools: `pg_dump
 * --format=custom` writes the backup (consistent while the hall runs: one snapshot), and a restore
 * empties the schema the backup's hall tables live in and loads the backup — `pg_restore` turns the
 * archive into SQL, `psql --single-transaction` runs the emptying and that SQL as ONE transaction,
 * so a restore that fails anywhere leaves the database as it was (never half-emptied).
 *
 * The connection string's password never reaches an argument list (visible to every user in `ps`)
 * nor a message: the tools get the URL without it and the password in PGPASSWORD. The tools come
 * from PG_BIN_DIR, else the newest /usr/lib/postgresql/N/bin that has them (pg_dump must be at
 * least the server's major version), else $PATH.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, fsyncSync, openSync, readdirSync, rmSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import pg from 'pg';
import { err, ok, type Result } from '../../shared/result.js';
import { PG_BASELINE_VERSION, PG_LATEST_VERSION } from './pg-schema/index.js';
import { describePostgresUrl } from './postgres.js';
import { fsyncPath } from './backup.js';

/** The PostgreSQL programs the hall (and its tests' throwaway clusters) look for. */
export type PgTool = 'pg_dump' | 'pg_restore' | 'psql' | 'initdb' | 'pg_ctl';

/** Where the PostgreSQL client tools are looked for: PG_BIN_DIR, and the PATH to fall back on. */
export type PgToolsEnv = { binDir?: string; path?: string };

/**
 * The directory holding every tool asked for: `binDir` alone when given (PG_BIN_DIR); else the
 * newest /usr/lib/postgresql/N/bin, else the first $PATH entry, that holds them all (so pg_restore
 * and psql are of one version). Null when there is none.
 */
export function findPgTools(tools: readonly PgTool[], env: PgToolsEnv): string | null {
  const hasAll = (dir: string) => tools.every((t) => existsSync(join(dir, t)));
  if (env.binDir !== undefined && env.binDir !== '') return hasAll(env.binDir) ? env.binDir : null;
  let versions: number[] = [];
  try {
    versions = readdirSync('/usr/lib/postgresql')
      .map(Number)
      .filter((v) => Number.isInteger(v) && v > 0)
      .sort((a, b) => b - a);
  } catch {
    // No Debian-style installation: $PATH below.
  }
  for (const v of versions) {
    const dir = join('/usr/lib/postgresql', String(v), 'bin');
    if (hasAll(dir)) return dir;
  }
  for (const dir of (env.path ?? '').split(delimiter)) if (dir !== '' && hasAll(dir)) return dir;
  return null;
}

const missingTools = (tools: readonly PgTool[], env: PgToolsEnv) =>
  `${tools.join(' and ')} not found ${
    env.binDir ? `in PG_BIN_DIR=${env.binDir}` : 'in /usr/lib/postgresql/*/bin or on PATH'
  }: install PostgreSQL's client tools of the server's major version or newer (Debian: postgresql-client-15), ` +
  'or set PG_BIN_DIR to the directory holding them';

/**
 * How the tools connect: the URL without its password (for `--dbname`, which `ps` shows) and the
 * environment carrying the password (PGPASSWORD), plus the password itself to scrub from messages.
 */
export function libpqConnection(url: string): {
  dbname: string;
  env: Record<string, string>;
  secret: string;
} {
  const u = new URL(url);
  let secret: string;
  try {
    secret = decodeURIComponent(u.password);
  } catch {
    secret = u.password;
  }
  u.password = '';
  const inQuery = u.searchParams.get('password');
  if (inQuery !== null) {
    if (secret === '') secret = inQuery;
    u.searchParams.delete('password');
  }
  return { dbname: u.href, env: secret !== '' ? { PGPASSWORD: secret } : {}, secret };
}

/** A tool's output for a message: its stderr, trimmed, never with the password. */
const said = (text: string, secret: string) => {
  const t = text.trim().slice(-1500);
  return secret === '' ? t : t.split(secret).join('***');
};

type Ran = { code: number | null; stdout: string; stderr: string };

/** Runs a tool with the password in its environment; `stdout` a file descriptor, else collected. */
function runTool(
  file: string,
  args: string[],
  opts: { env: Record<string, string>; stdoutFd?: number },
): Promise<Ran> {
  return new Promise((resolve) => {
    const child = spawn(file, args, {
      stdio: ['ignore', opts.stdoutFd ?? 'pipe', 'pipe'],
      env: { ...process.env, ...opts.env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (b: Buffer) => (stdout += b.toString('utf8')));
    child.stderr?.on('data', (b: Buffer) => (stderr += b.toString('utf8')));
    child.on('error', (e) => resolve({ code: null, stdout, stderr: `${stderr}${e.message}` }));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/**
 * What a backup archive holds: the schema of its hall tables, whether it creates that schema itself
 * (any but `public`, which pg_dump leaves to the database), and its hall schema version.
 */
export type PgBackupInfo = { schema: string; createsSchema: boolean; version: number };

const IDENT = /^[a-z_][a-z0-9_]*$/;

/**
 * Why a file cannot be restored as this hall's database, or what it is: a pg_dump custom-format
 * archive (pg_restore --list reads it) with the hall's tables (hall_schema, kiosks) in one schema,
 * and a hall schema version from the baseline up to the newest this hall knows (a newer one is
 * refused: this code could not read it).
 */
export async function checkPostgresBackup(
  path: string,
  tools: PgToolsEnv,
): Promise<Result<PgBackupInfo, string>> {
  if (!existsSync(path)) return err(`${path} does not exist`);
  const dir = findPgTools(['pg_restore'], tools);
  if (dir === null) return err(missingTools(['pg_restore'], tools));
  const pgRestore = join(dir, 'pg_restore');
  const list = await runTool(pgRestore, ['--list', path], { env: {} });
  if (list.code !== 0)
    return err(`${path} is not a pg_dump archive of the custom format (${said(list.stderr, '')})`);
  const tableSchema = (name: string) =>
    new RegExp(`^\\d+; \\d+ \\d+ TABLE (\\S+) ${name} `, 'm').exec(list.stdout)?.[1];
  const schema = tableSchema('hall_schema');
  if (schema === undefined || tableSchema('kiosks') !== schema)
    return err(`${path} is not a backup of a hall database (no hall_schema and kiosks tables)`);
  if (!IDENT.test(schema))
    return err(`${path}: the hall's tables are in schema "${schema}", not one a hall uses`);
  const data = await runTool(
    pgRestore,
    ['--data-only', `--schema=${schema}`, '--table=hall_schema', '--file=-', path],
    { env: {} },
  );
  if (data.code !== 0) return err(`${path}: cannot read its hall_schema (${said(data.stderr, '')})`);
  // COPY <schema>.hall_schema (singleton, version, migrated_at) FROM stdin;\n t\t<version>\t…\n\.
  const lines = data.stdout.split('\n');
  const copy = lines.findIndex((l) => l.startsWith(`COPY ${schema}.hall_schema (`));
  const columns = /\(([^)]*)\)/.exec(lines[copy] ?? '')?.[1]?.split(', ') ?? [];
  const versionAt = columns.indexOf('version');
  const row = lines[copy + 1];
  const version =
    row !== undefined && row !== '\\.' && versionAt >= 0 ? Number(row.split('\t')[versionAt]) : NaN;
  if (!Number.isInteger(version) || version < PG_BASELINE_VERSION)
    return err(`${path} is not a backup of a hall database (no schema version in hall_schema)`);
  if (version > PG_LATEST_VERSION)
    return err(
      `${path} was written by a newer hall (schema ${version}, this hall knows ${PG_LATEST_VERSION})`,
    );
  const createsSchema = new RegExp(`^\\d+; \\d+ \\d+ SCHEMA - ${schema} `, 'm').test(list.stdout);
  return ok({ schema, createsSchema, version });
}

/**
 * `pg_dump --format=custom` of the database at `url` into `dest` (a new file, 0600, fsynced),
 * then checked as a hall backup (checkPostgresBackup). The hall may be running.
 */
export async function backupPostgresHall(opts: {
  url: string;
  dest: string;
  tools: PgToolsEnv;
}): Promise<Result<PgBackupInfo, string>> {
  const { dest } = opts;
  if (existsSync(dest)) return err(`${dest} exists: a backup never overwrites a file`);
  const dir = findPgTools(['pg_dump', 'pg_restore'], opts.tools);
  if (dir === null) return err(missingTools(['pg_dump', 'pg_restore'], opts.tools));
  const conn = libpqConnection(opts.url);
  let fd: number;
  try {
    fd = openSync(dest, 'wx', 0o600);
  } catch (e) {
    return err(`cannot create ${dest}: ${(e as Error).message}`);
  }
  let ran: Ran;
  try {
    // --no-password: never a prompt on a terminal; the password is in PGPASSWORD or ~/.pgpass.
    ran = await runTool(
      join(dir, 'pg_dump'),
      ['--format=custom', '--no-password', `--dbname=${conn.dbname}`],
      {
        env: conn.env,
        stdoutFd: fd,
      },
    );
    if (ran.code === 0) fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  if (ran.code !== 0) {
    rmSync(dest, { force: true });
    return err(
      `pg_dump of the hall database on ${describePostgresUrl(opts.url)} failed: ${said(ran.stderr, conn.secret)}`,
    );
  }
  fsyncPath(dirname(dest));
  const checked = await checkPostgresBackup(dest, opts.tools);
  if (!checked.ok) {
    rmSync(dest, { force: true });
    return err(`the database on ${describePostgresUrl(opts.url)} is not a hall database: ${checked.error}`);
  }
  return checked;
}

/**
 * Drops every table, view, sequence and routine of `schema` (the hall's objects: its tables with
 * their identity sequences and triggers, its trigger functions), leaving the schema itself, its
 * owner and its grants as they are — or, when the archive creates the schema, the schema itself.
 */
const emptySchemaSql = (schema: string, createsSchema: boolean) =>
  createsSchema
    ? // The archive creates the schema: it goes, with everything in it.
      `DROP SCHEMA IF EXISTS ${schema} CASCADE;`
    : /* sql */ `
DO $zk_empty$
DECLARE
  ns oid := (SELECT oid FROM pg_namespace WHERE nspname = '${schema}');
  names text;
BEGIN
  IF ns IS NULL THEN
    EXECUTE 'CREATE SCHEMA ${schema}';
    RETURN;
  END IF;
  SELECT string_agg(c.oid::regclass::text, ', ') INTO names FROM pg_class c
    WHERE c.relnamespace = ns AND c.relkind IN ('r', 'p', 'f') AND NOT c.relispartition;
  IF names IS NOT NULL THEN EXECUTE 'DROP TABLE ' || names || ' CASCADE'; END IF;
  SELECT string_agg(c.oid::regclass::text, ', ') INTO names FROM pg_class c
    WHERE c.relnamespace = ns AND c.relkind = 'm';
  IF names IS NOT NULL THEN EXECUTE 'DROP MATERIALIZED VIEW ' || names || ' CASCADE'; END IF;
  SELECT string_agg(c.oid::regclass::text, ', ') INTO names FROM pg_class c
    WHERE c.relnamespace = ns AND c.relkind = 'v';
  IF names IS NOT NULL THEN EXECUTE 'DROP VIEW ' || names || ' CASCADE'; END IF;
  SELECT string_agg(c.oid::regclass::text, ', ') INTO names FROM pg_class c
    WHERE c.relnamespace = ns AND c.relkind = 'S';
  IF names IS NOT NULL THEN EXECUTE 'DROP SEQUENCE ' || names || ' CASCADE'; END IF;
  SELECT string_agg(p.oid::regprocedure::text, ', ') INTO names FROM pg_proc p
    WHERE p.pronamespace = ns AND p.prokind IN ('f', 'p');
  IF names IS NOT NULL THEN EXECUTE 'DROP ROUTINE ' || names || ' CASCADE'; END IF;
END
$zk_empty$;`;

/** `fn` on one connection to the database at `url` (an error: the sentence, never the password). */
async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<Result<T, string>> {
  const where = describePostgresUrl(url);
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (e) {
    return err(`cannot connect to ${where}: ${(e as Error).message}`);
  }
  try {
    return ok(await fn(client));
  } catch (e) {
    return err(`cannot inspect ${where}: ${(e as Error).message}`);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Other sessions connected to the database. Every hall node keeps connections open (its pool, its
 * LISTEN): any other session is one still running, which would write into — or read half of — a
 * database being replaced or resealed. A node stopped a moment ago may still show its sessions while
 * their backends exit: a second's grace before they count.
 */
async function otherSessions(client: pg.Client): Promise<number> {
  const count = async () =>
    Number(
      (
        await client.query<{ n: string }>(
          `SELECT count(*) AS n FROM pg_stat_activity
            WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'`,
        )
      ).rows[0]?.n ?? 0,
    );
  let others = await count();
  for (let i = 0; i < 10 && others > 0; i++) {
    await new Promise((r) => setTimeout(r, 100));
    others = await count();
  }
  return others;
}

const stopNodesFirst = (others: number, where: string, what: string) =>
  `${others} other connection(s) to ${where}: stop every hall node (and anything else connected to ` +
  `this database) before ${what}`;

/** Null when no other session is connected to the database at `url`, else why not to go on. */
export async function postgresInUse(url: string, what: string): Promise<string | null> {
  const r = await withClient(url, otherSessions);
  if (!r.ok) return r.error;
  return r.value > 0 ? stopNodesFirst(r.value, describePostgresUrl(url), what) : null;
}

/** What stands in the way of a restore into the database at `url` (null: nothing). */
async function restoreTargetProblem(url: string, schema: string): Promise<string | null> {
  const where = describePostgresUrl(url);
  const r = await withClient(url, async (client): Promise<string | null> => {
    const others = await otherSessions(client);
    if (others > 0) return stopNodesFirst(others, where, 'a restore');
    // Only a hall database (or a schema with no tables at all) is emptied.
    const found = await client.query<{ hall: string | null; tables: string }>(
      `SELECT to_regclass($1)::text AS hall,
              (SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = $2 AND c.relkind IN ('r', 'p')) AS tables`,
      [`${schema}.hall_schema`, schema],
    );
    const row = found.rows[0];
    if (row !== undefined && row.hall === null && Number(row.tables) > 0)
      return `schema ${schema} of ${where} holds tables but is not a hall database: left untouched`;
    return null;
  });
  return r.ok ? r.value : r.error;
}

/**
 * Replaces the hall database at `url` with a backup (every hall node stopped): checks the backup,
 * refuses while other sessions are connected, then empties the backup's schema and loads the
 * archive in one transaction (`pg_restore --file=- | psql --single-transaction`). Owners and grants
 * are not restored: the connecting user owns what it loads.
 */
export async function restorePostgresHall(opts: {
  url: string;
  backup: string;
  tools: PgToolsEnv;
}): Promise<Result<PgBackupInfo, string>> {
  const checked = await checkPostgresBackup(opts.backup, opts.tools);
  if (!checked.ok) return checked;
  const dir = findPgTools(['pg_restore', 'psql'], opts.tools);
  if (dir === null) return err(missingTools(['pg_restore', 'psql'], opts.tools));
  const { schema, createsSchema } = checked.value;
  const problem = await restoreTargetProblem(opts.url, schema);
  if (problem !== null) return err(problem);

  const conn = libpqConnection(opts.url);
  const env = { ...process.env, ...conn.env };
  const restore = spawn(
    join(dir, 'pg_restore'),
    ['--no-owner', '--no-privileges', '--exit-on-error', '--file=-', opts.backup],
    { stdio: ['ignore', 'pipe', 'pipe'], env },
  );
  const psql = spawn(
    join(dir, 'psql'),
    [
      '--no-psqlrc',
      '--quiet',
      '--no-password',
      '--set=ON_ERROR_STOP=1',
      '--single-transaction',
      `--dbname=${conn.dbname}`,
      `--command=${emptySchemaSql(schema, createsSchema)}`,
      '--file=-',
    ],
    { stdio: ['pipe', 'ignore', 'pipe'], env },
  );
  const collect = (child: ChildProcess) =>
    new Promise<{ code: number | null; stderr: string }>((resolve) => {
      let stderr = '';
      child.stderr?.on('data', (b: Buffer) => (stderr += b.toString('utf8')));
      child.on('error', (e) => resolve({ code: null, stderr: `${stderr}${e.message}` }));
      child.on('close', (code) => resolve({ code, stderr }));
    });
  const restored = collect(restore);
  const loaded = collect(psql);
  // psql ending early (an error) closes its stdin: pg_restore's output is then cut too (else it
  // would block on a full pipe), and it fails on it, which is fine.
  psql.stdin?.on('error', () => undefined);
  psql.on('exit', () => restore.stdout?.destroy());
  // psql commits at the end of its input: that end is given only once pg_restore has written the
  // whole archive. Had it failed half-way, psql is killed instead and the server rolls back.
  if (psql.stdin) restore.stdout?.pipe(psql.stdin, { end: false });
  const r = await restored;
  if (r.code === 0) psql.stdin?.end();
  else psql.kill('SIGKILL');
  const p = await loaded;
  const rolledBack = (why: string) =>
    err(
      `restore into ${describePostgresUrl(opts.url)} failed and was rolled back (nothing changed): ` +
        said(why, conn.secret),
    );
  // psql stopped on an error of its own (it exited; null = killed by us after pg_restore failed).
  if (p.code !== 0 && p.code !== null) return rolledBack(p.stderr);
  if (r.code !== 0) return rolledBack(`pg_restore: ${r.stderr}`);
  if (p.code !== 0) return rolledBack(p.stderr);
  return checked;
}
