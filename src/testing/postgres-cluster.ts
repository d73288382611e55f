/**
 * A throwaway PostgreSQL cluster for tests (issue #11: "the test setup starts what it needs and fails
 * loudly if it cannot"): initdb in a temp directory, the postmaster on a free loopback port with its
 * socket in that directory, stopped and removed afterwards — also when a test fails or the worker
 * exits. Debian's `postgresql` package (scripts/install.sh) provides the binaries.
 *
 * PostgreSQL refuses to run as root, so as root initdb and pg_ctl run as the `postgres` user (the
 * Debian package creates it); as anyone else they run directly.
 *
 * A missing binary or a cluster that does not come up is not a reason to skip: it throws with what to
 * do, so `npm test` fails loudly instead of silently testing less. (A harness error is a setup failure
 * of the test run, hence a throw rather than a value.)
 */
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { findPgTools } from '../hall/store/pg-backup.js';
import { freeLoopbackPort } from './free-port.js';

/** Where Debian's postgresql-15 puts its server binaries (PG_BIN_DIR overrides). */
export const DEFAULT_PG_BIN_DIR = '/usr/lib/postgresql/15/bin';

/**
 * PG_BIN_DIR; else the newest /usr/lib/postgresql/N/bin holding the server's tools (Debian 12 ships
 * 15; another release another major version under the same package name) — the lookup the hall's
 * own `hall db backup / restore` use (findPgTools); else Debian 12's directory, for the message.
 */
export function findPgBinDir(): string {
  if (process.env.PG_BIN_DIR) return process.env.PG_BIN_DIR;
  return findPgTools(['initdb', 'pg_ctl'], {}) ?? DEFAULT_PG_BIN_DIR;
}

export type PostgresCluster = {
  /** postgres://postgres@127.0.0.1:PORT/postgres (trust authentication on loopback). */
  url: string;
  port: number;
  /** The temp directory holding data/, the socket and the server log. */
  dir: string;
  /** pg_ctl restart (fast shutdown): every connection is cut, the port stays the same. */
  restart(): Promise<void>;
  /** pg_ctl stop (fast): the server is down until start(). */
  stopServer(): Promise<void>;
  /** pg_ctl start on the same port after stopServer(). */
  startServer(): Promise<void>;
  /**
   * A new empty database in the cluster, named `prefix_N` (N counts up per cluster); its URL.
   * Tests give each case a fresh database of one cluster started per file.
   */
  createDatabase(prefix: string): Promise<{ name: string; url: string }>;
  /** Stops the server (immediate) and removes the directory; safe to call twice. */
  destroy(): Promise<void>;
  /**
   * Terminates every listening backend (connections whose last query was a LISTEN), as a server
   * that cuts them would; returns how many it cut.
   */
  cutListeners(): Promise<number>;
};

export type PostgresClusterOptions = {
  /** Directory holding initdb and pg_ctl (default findPgBinDir()). */
  binDir?: string;
  /** Bound on initdb, and on each start/stop (default 30 s). */
  timeoutMs?: number;
  /**
   * Keep fsync on (default off: a throwaway cluster loses nothing that matters on a crash of the
   * machine, and fsync off makes start and every commit fast on a shared build machine).
   */
  durable?: boolean;
  /** The server's max_connections (default 40: LISTEN/NOTIFY tests and a few nodes' pools). */
  maxConnections?: number;
};

type Runner = (file: string, args: string[], timeoutMs: number) => Promise<string>;

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

/** The `postgres` user's uid/gid, for running the server's tools as it when we are root. */
function postgresIds(): { uid: number; gid: number } {
  try {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    if (Number.isInteger(uid) && Number.isInteger(gid)) return { uid, gid };
  } catch {
    // Reported below with what to do.
  }
  throw new Error(
    'PostgreSQL test cluster: running as root but there is no `postgres` user to run the server as. ' +
      'Install Debian’s postgresql package (scripts/install.sh) — it creates that user.',
  );
}

function runnerFor(ids: { uid: number; gid: number } | null): Runner {
  return (file, args, timeoutMs) =>
    new Promise((resolve, reject) => {
      const child = spawn(file, args, {
        stdio: ['ignore', 'pipe', 'pipe'],
        ...(ids ? { uid: ids.uid, gid: ids.gid } : {}),
        // The server's locale and home come from us, not from whoever started the tests.
        env: { ...process.env, LC_ALL: 'C', LANG: 'C', ...(ids ? { HOME: '/tmp' } : {}) },
      });
      let out = '';
      child.stdout.on('data', (b: Buffer) => (out += b.toString('utf8')));
      child.stderr.on('data', (b: Buffer) => (out += b.toString('utf8')));
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`${file} ${args.join(' ')}: no answer within ${timeoutMs} ms\n${out}`));
      }, timeoutMs);
      child.on('error', (e) => {
        clearTimeout(timer);
        reject(new Error(`${file}: ${e.message}`));
      });
      // 'exit', not 'close': a postmaster started by pg_ctl may inherit the pipes and hold them open.
      child.on('exit', (code) => {
        clearTimeout(timer);
        if (code === 0) resolve(out);
        else reject(new Error(`${file} ${args.join(' ')} exited with ${String(code)}\n${out}`));
      });
    });
}

/** Every cluster still running in this process, stopped synchronously if the process exits first. */
const live = new Set<{ dataDir: string; dir: string }>();
let exitHookInstalled = false;
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const c of live) killPostmaster(c.dataDir, 'SIGQUIT');
    for (const c of live) rmSync(c.dir, { recursive: true, force: true });
  });
}

/** SIGQUIT = the postmaster's immediate shutdown; used when pg_ctl cannot be (exit hook, failures). */
function killPostmaster(dataDir: string, signal: NodeJS.Signals): void {
  try {
    const pid = Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    if (Number.isInteger(pid) && pid > 1) process.kill(pid, signal);
  } catch {
    // No pid file or no such process: nothing is running.
  }
}

export async function startPostgresCluster(opts: PostgresClusterOptions = {}): Promise<PostgresCluster> {
  const binDir = opts.binDir ?? findPgBinDir();
  const initdb = join(binDir, 'initdb');
  const pgCtl = join(binDir, 'pg_ctl');
  for (const b of [initdb, pgCtl])
    if (!existsSync(b))
      throw new Error(
        `PostgreSQL test cluster: ${b} not found. The PostgreSQL tests need Debian’s postgresql ` +
          `package (PostgreSQL 15): run scripts/install.sh, or set PG_BIN_DIR to the server's bin directory.`,
      );
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const ids = isRoot() ? postgresIds() : null;
  const run = runnerFor(ids);

  const dir = mkdtempSync(join(tmpdir(), 'zizhu-pg-'));
  const dataDir = join(dir, 'data');
  const entry = { dataDir, dir };
  installExitHook();
  live.add(entry);
  // The server's user owns the directory (data/ must be 0700 and its own; the socket goes here too).
  if (ids) chownSync(dir, ids.uid, ids.gid);
  chmodSync(dir, 0o700);

  let port = 0;
  const serverOptions = () =>
    [
      `-p ${port}`,
      `-k ${dir}`,
      '-c listen_addresses=127.0.0.1',
      `-c max_connections=${opts.maxConnections ?? 40}`,
      ...(opts.durable ? [] : ['-c fsync=off', '-c synchronous_commit=off', '-c full_page_writes=off']),
    ].join(' ');
  const logFile = join(dir, 'server.log');
  const ctl = (args: string[]) => run(pgCtl, ['-D', dataDir, ...args], timeoutMs);
  const start = () =>
    ctl(['-o', serverOptions(), '-l', logFile, '-w', '-t', String(Math.ceil(timeoutMs / 1000)), 'start']);

  const fail = (e: unknown): never => {
    killPostmaster(dataDir, 'SIGQUIT');
    rmSync(dir, { recursive: true, force: true });
    live.delete(entry);
    const log = existsSync(logFile) ? `\nserver log:\n${readFileSync(logFile, 'utf8').slice(-2000)}` : '';
    throw new Error(`PostgreSQL test cluster did not start: ${(e as Error).message}${log}`);
  };

  try {
    await run(
      initdb,
      ['-D', dataDir, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--locale=C', '--no-sync'],
      timeoutMs,
    );
  } catch (e) {
    fail(e);
  }
  // A free port can be taken between the probe and the postmaster's bind: a few tries, then loudly.
  let started = false;
  let lastError: unknown = null;
  for (let attempt = 0; attempt < 3 && !started; attempt++) {
    port = await freeLoopbackPort();
    try {
      await start();
      started = true;
    } catch (e) {
      lastError = e;
    }
  }
  if (!started) fail(lastError);

  let destroyed = false;
  let databases = 0;
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  return {
    url,
    port,
    dir,
    async restart() {
      // -l again: without it the new postmaster writes to pg_ctl's stdout, our pipe.
      await ctl(['-m', 'fast', '-l', logFile, '-w', '-t', String(Math.ceil(timeoutMs / 1000)), 'restart']);
    },
    async stopServer() {
      await ctl(['-m', 'fast', '-w', '-t', String(Math.ceil(timeoutMs / 1000)), 'stop']);
    },
    async startServer() {
      await start();
    },
    async cutListeners() {
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      try {
        const r = await admin.query(
          `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE 'LISTEN%' AND pid <> pg_backend_pid()`,
        );
        return r.rowCount ?? 0;
      } finally {
        await admin.end();
      }
    },
    async createDatabase(prefix: string) {
      if (!/^[a-z_][a-z0-9_]*$/.test(prefix)) throw new Error(`not a database name prefix: ${prefix}`);
      const name = `${prefix}_${++databases}`;
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      try {
        await admin.query(`CREATE DATABASE ${name}`);
      } finally {
        await admin.end();
      }
      const u = new URL(url);
      u.pathname = `/${name}`;
      return { name, url: u.href };
    },
    async destroy() {
      if (destroyed) return;
      destroyed = true;
      try {
        await ctl(['-m', 'immediate', '-w', '-t', '10', 'stop']);
      } catch {
        // Already stopped (stopServer) or pg_ctl failed: make sure nothing is left running.
        killPostmaster(dataDir, 'SIGQUIT');
      }
      rmSync(dir, { recursive: true, force: true });
      live.delete(entry);
    },
  };
}
