/** Backend cold start (open + migrate + seed + listen), with an empty database and with 10,000 applications. */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, loadKioskConfig, openDatabase, startKioskBackend } from '../src/backend/index.js';
import { median, timeMs, type BenchResult, type BenchSuite } from './harness.js';

const RUNS = 5;

async function startOnce(dataDir: string): Promise<number> {
  const cfg = loadKioskConfig({ argv: [], env: { KIOSK_DATA_DIR: dataDir, KIOSK_PORT: '0' } });
  if (!cfg.ok) throw new Error(cfg.error);
  let close: () => Promise<void> = () => Promise.resolve();
  const ms = await timeMs(async () => {
    const backend = await startKioskBackend({ config: cfg.config, logger: createLogger('silent') });
    close = () => backend.close();
  });
  await close();
  return ms;
}

/** Fills a started-once database with n submitted applications, each with history and an outbox row. */
function fillApplications(dataDir: string, n: number): void {
  const opened = openDatabase(join(dataDir, 'kiosk.db'));
  if (!opened.ok) throw new Error(opened.message);
  const db = opened.db;
  const items = db.prepare('SELECT code FROM service_items').pluck().all() as string[];
  const insApp = db.prepare(
    `INSERT INTO applications (id, receipt_no, item_code, jurisdiction, applicant_name, applicant_id_number, applicant_masked,
       form, delivery, status, submitted_at, promised_date, updated_at)
     VALUES (?, ?, ?, '611100', '张三', '610102199001011234', '张*', '{"phone":"13800000000"}', '{"method":"pickup"}', 'submitted', ?, '2026-12-10', ?)`,
  );
  const insHist = db.prepare(
    "INSERT INTO application_status_history (application_id, status, at, source) VALUES (?, 'submitted', ?, 'kiosk')",
  );
  const insOutbox = db.prepare(
    "INSERT INTO outbox (kind, entity_id, payload, created_at) VALUES ('application', ?, '{}', ?)",
  );
  db.transaction(() => {
    for (let i = 0; i < n; i++) {
      const id = randomUUID();
      const at = new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString();
      insApp.run(id, `R${String(i).padStart(10, '0')}`, items[i % items.length], at, at);
      insHist.run(id, at);
      insOutbox.run(id, at);
    }
  })();
  db.close();
}

export const startupSuite: BenchSuite = {
  name: 'startup',
  async run(): Promise<BenchResult[]> {
    const emptyRuns: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const dir = mkdtempSync(join(tmpdir(), 'zizhu-bench-'));
      try {
        emptyRuns.push(await startOnce(dir));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
    const dir = mkdtempSync(join(tmpdir(), 'zizhu-bench-'));
    const fullRuns: number[] = [];
    try {
      await startOnce(dir); // creates the schema and loads the seed
      fillApplications(dir, 10_000);
      for (let i = 0; i < RUNS; i++) fullRuns.push(await startOnce(dir));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    return [
      {
        name: 'backend cold start, empty database',
        value: median(emptyRuns),
        unit: 'ms',
        note: `median of ${RUNS}: open + migrate + load catalog seed + listen (first run ${emptyRuns[0]?.toFixed(0)} ms incl. module warm-up)`,
      },
      {
        name: 'backend start, 10,000 applications',
        value: median(fullRuns),
        unit: 'ms',
        note: `median of ${RUNS}: open + (no-op) migrate + seed check + listen`,
      },
    ];
  },
};
