/**
 * What the sync benchmarks share (suites `sync`, `pouch`, `fleet`): the reference hall in a child
 * process, enrolment codes made as `npm run cli -- hall enrollment-code` makes them, kiosk databases,
 * and applications with one distinct 50 KB scan committed to a kiosk's outbox the way the
 * applications service writes them (whole, valid entries: the hall applies them and the scans travel).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { openDatabase, type Db } from '../src/backend/index.js';
import { createHallService, openHallDatabase } from '../src/hall/index.js';
import { encodeEntry, type ApplicationEntry } from '../src/shared/wire/index.js';
import { seedCatalogRow } from '../src/sync/testing/kiosk-fixture.js';

export const SCAN_BYTES = 50 * 1024;
const ROOT = join(import.meta.dirname, '..');

export const silent = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  debug: () => undefined,
};

export type Hall = { url: string; dataDir: string; pid: number; stop(): Promise<void> };

/** The reference hall in a child process on a free port; resolves once it listens. */
export async function startHall(dataDir: string, env: Record<string, string> = {}): Promise<Hall> {
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', join(ROOT, 'src', 'cli', 'hall-main.ts')],
    {
      cwd: ROOT,
      env: { ...process.env, HALL_PORT: '0', HALL_HOST: '127.0.0.1', HALL_DATA_DIR: dataDir, ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (l) => {
      const m = /Hall server ready: (\S+)/.exec(l);
      if (m?.[1]) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`hall exited (${code}) before listening`)));
  });
  return {
    url,
    dataDir,
    pid: child.pid!,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** One-time enrolment codes, made the way `npm run cli -- hall enrollment-code` makes them. */
export function enrollmentCodes(hallDataDir: string, n: number): string[] {
  const opened = openHallDatabase(join(hallDataDir, 'hall.db'));
  if (!opened.ok) throw new Error(opened.message);
  try {
    const service = createHallService({ db: opened.db, dataDir: hallDataDir, clock: () => new Date() });
    return Array.from({ length: n }, () => service.createEnrollmentCode('610113').code);
  } finally {
    opened.db.close();
  }
}

export function openKiosk(path: string): Db {
  const opened = openDatabase(path);
  if (!opened.ok) throw new Error(opened.message);
  return opened.db;
}

/** A scan file in the kiosk's content-addressed store (setup only: no fsync needed here). */
export function storeScan(blobDir: string, bytes: Buffer): string {
  const sha = createHash('sha256').update(bytes).digest('hex');
  mkdirSync(join(blobDir, sha.slice(0, 2)), { recursive: true });
  writeFileSync(join(blobDir, sha.slice(0, 2), sha), bytes);
  return sha;
}

/** A whole application entry as the kiosk writes it (src/shared/wire/entries.ts), one scan. */
export function applicationEntry(id: string, i: number, sha: string, at: string): ApplicationEntry {
  return {
    id,
    receiptNo: `ZZ01-${at.slice(0, 10).replaceAll('-', '')}-${String(i % 1_000_000).padStart(6, '0')}`,
    itemCode: 'X1',
    caseType: 'promised',
    jurisdiction: '610102',
    submittedAt: at,
    promisedDays: 5,
    promisedDate: new Date(Date.parse(at) + 7 * 86400_000).toISOString().slice(0, 10),
    bundle: null,
    applicant: { name: '张三', idNumber: '11010519491231002X', cardType: 'resident' },
    helper: null,
    form: {},
    delivery: { method: 'pickup' },
    licences: [],
    integrityAcknowledgedAt: at,
    attachments: [{ materialCode: 'm1', position: 0, sha256: sha, size: SCAN_BYTES, mime: 'image/jpeg' }],
  };
}

/** One application to commit: its id and its scan (already in the kiosk's blob store). */
export type BenchApplication = { id: string; sha256: string };

/** `n` applications, each with a distinct random 50 KB scan written to `blobDir`. */
export function makeApplications(blobDir: string, n: number): BenchApplication[] {
  return Array.from({ length: n }, () => ({
    id: randomUUID(),
    sha256: storeScan(blobDir, randomBytes(SCAN_BYTES)),
  }));
}

/**
 * Commits the applications (and with `extras` a queue ticket and an evaluation each), rows + outbox
 * as the applications service writes them, in one transaction for the lot: setup time is not what
 * is measured. Returns the outbox rows written.
 */
export function fillOutbox(db: Db, apps: readonly BenchApplication[], extras: boolean, first = 0): number {
  seedCatalogRow(db);
  const at = new Date().toISOString();
  const insApp = db.prepare(
    `INSERT INTO applications (id, receipt_no, item_code, jurisdiction, applicant_name, applicant_id_number, applicant_masked, status, submitted_at, updated_at)
     VALUES (?, ?, 'X1', '610102', '张三', '610102199001011234', '张*', 'submitted', ?, ?)`,
  );
  const insAtt = db.prepare(
    "INSERT OR IGNORE INTO attachments (sha256, size, mime, captured_at, device) VALUES (?, ?, 'image/jpeg', ?, 'bench')",
  );
  const insLink = db.prepare(
    "INSERT INTO application_attachments (application_id, material_code, sha256, position) VALUES (?, 'm1', ?, 0)",
  );
  const insOutbox = db.prepare(
    'INSERT INTO outbox (kind, entity_id, payload, created_at) VALUES (?, ?, ?, ?)',
  );
  let rows = 0;
  db.transaction(() => {
    apps.forEach(({ id, sha256: sha }, j) => {
      const i = first + j;
      insApp.run(id, `R-${id}`, at, at);
      insAtt.run(sha, SCAN_BYTES, at);
      insLink.run(id, sha);
      insOutbox.run('application', id, encodeEntry('application', applicationEntry(id, i, sha, at)), at);
      rows++;
      if (extras) {
        const t = randomUUID();
        insOutbox.run(
          'queue-ticket',
          t,
          JSON.stringify({
            id: t,
            idempotencyKey: `k-${t}`,
            window: 'zzlb',
            number: `A${900 + (i % 99)}`,
            serviceDate: at.slice(0, 10),
            issuedAt: at,
            source: 'offline',
          }),
          at,
        );
        const v = randomUUID();
        insOutbox.run(
          'evaluation',
          v,
          JSON.stringify({
            id: v,
            targetKind: 'application',
            targetId: id,
            level: 'satisfied',
            contentItems: [],
            createdAt: at,
          }),
          at,
        );
        rows += 2;
      }
    });
  })();
  return rows;
}

export const quantile = (sorted: readonly number[], q: number): number =>
  sorted.length === 0
    ? NaN
    : sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;

/** CPU seconds (user + system) a process has used so far, from /proc (Linux). */
export function cpuSeconds(pid: number): number {
  try {
    // Fields after the command name (which may hold spaces): utime is the 12th, stime the 13th.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(rest[11]) + Number(rest[12])) / CLOCK_TICKS;
  } catch {
    return NaN;
  }
}
const CLOCK_TICKS = 100;
