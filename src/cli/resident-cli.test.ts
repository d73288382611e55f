/** `audit` and `application` commands: the 电子监察 trail and a technician's reprint of an archived form. */
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, loadKioskConfig, openDatabase, startKioskBackend } from '../backend/index.js';
import { buildCli } from './main.js';

let dir: string;
const out: string[] = [];
const err: string[] = [];
const env = () => ({
  KIOSK_DATA_DIR: dir,
  KIOSK_CONFIG: join(dir, 'kiosk.json'),
  KIOSK_LP_COMMAND: join(dir, 'lp'),
});
const cli = () => buildCli({ out: (l) => out.push(l), err: (l) => err.push(l) }, env());

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'zizhu-cli-resident-'));
  writeFileSync(join(dir, 'kiosk.json'), JSON.stringify({ printing: { a4Printer: 'hall-a4' } }));
  // A started-once kiosk: migrated database with the catalog.
  const cfg = loadKioskConfig({
    argv: [],
    env: {
      KIOSK_DATA_DIR: dir,
      KIOSK_PORT: '0',
      KIOSK_IDCARD: 'none',
      KIOSK_PRINTER: 'none',
      KIOSK_TICKET_PRINTER: 'none',
      KIOSK_SCANNER: 'none',
      KIOSK_CODE_READER: 'none',
    },
  });
  if (!cfg.ok) throw new Error(cfg.error);
  const kiosk = await startKioskBackend({ config: cfg.config, logger: createLogger('silent') });
  await kiosk.close();
  // After the start: the kiosk makes every file in its data directory 0600.
  writeFileSync(join(dir, 'lp'), `#!/bin/sh\necho "$@" > ${join(dir, 'lp.log')}\n`);
  chmodSync(join(dir, 'lp'), 0o755);
  const opened = openDatabase(join(dir, 'kiosk.db'));
  if (!opened.ok) throw new Error(opened.message);
  const at = '2026-11-26T02:00:00.000Z';
  opened.db
    .prepare(
      `INSERT INTO applications (id, receipt_no, item_code, jurisdiction, applicant_name, applicant_id_number, applicant_masked, form, delivery,
         status, submitted_at, promised_date, updated_at, case_type, integrity_ack_at)
       VALUES ('a1', 'ZZ01-20261126-0001', '610000-RSJ-JF-05005-000', '611100', zk_seal('李秀英'), zk_seal('11010519491231002X'), '李*英',
         zk_seal('{"values":{"contactPhone":"13800138000"},"licences":[]}'), zk_seal('{"method":"pickup"}'), 'submitted', ?, '2026-12-01', ?, 'promised', ?)`,
    )
    .run(at, at, at);
  const audit = opened.db.prepare(
    "INSERT INTO audit_log (at, actor, action, subject, detail) VALUES (?, 'resident', ?, ?, ?)",
  );
  audit.run('2026-11-25T01:00:00.000Z', 'identify', 's1', JSON.stringify({ name: '李*英' }));
  audit.run(at, 'submit', 'sub1', JSON.stringify({ receipts: ['ZZ01-20261126-0001'] }));
  opened.db.close();
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('audit and application commands', () => {
  it('filters the audit log by action and time', async () => {
    out.length = 0;
    expect(await cli().run(['audit', '--action', 'submit', '--json'])).toBe(0);
    const rows = out.map((l) => JSON.parse(l) as { action: string; detail: { receipts: string[] } });
    expect(rows.map((r) => r.action)).toEqual(['submit']);
    expect(rows[0]?.detail.receipts).toEqual(['ZZ01-20261126-0001']);
    out.length = 0;
    expect(await cli().run(['audit', '--since', '2026-11-26T00:00:00Z', '--json'])).toBe(0);
    expect(out.map((l) => (JSON.parse(l) as { action: string }).action)).not.toContain('identify');
    expect(await cli().run(['audit', '--since', 'yesterday'])).toBe(1);
    expect(err.join('\n')).toMatch(/--since is not a date/);
  });

  it('shows an application masked, and says so when there is none', async () => {
    out.length = 0;
    expect(await cli().run(['application', 'show', 'zz01-20261126-0001', '--json'])).toBe(0);
    const shown = JSON.parse(out.join('\n')) as { applicant_masked: string; history: unknown[] };
    expect(shown.applicant_masked).toBe('李*英');
    expect(out.join('\n')).not.toContain('李秀英');
    expect(await cli().run(['application', 'show', 'ZZ01-20261126-0099'])).toBe(1);
  });

  it('regenerates the archived form and sends it to the A4 printer', async () => {
    out.length = 0;
    const target = join(dir, 'copy.pdf');
    const code = await cli().run([
      'application',
      'pdf',
      'ZZ01-20261126-0001',
      '--out',
      target,
      '--print',
      '--json',
    ]);
    expect(code, [...out, ...err].join('\n')).toBe(0);
    const r = JSON.parse(out.join('\n')) as { file: string; printed: boolean };
    expect(existsSync(r.file)).toBe(true);
    expect(r.printed).toBe(true);
    // The archive is sealed at rest; lp got a plain copy in a private temporary folder, gone after.
    expect(readFileSync(r.file).subarray(0, 4).toString()).toBe('ZKS1');
    const printedFile = /^-d hall-a4 (.+application-form\.pdf)$/.exec(
      readFileSync(join(dir, 'lp.log'), 'utf8').trim(),
    )?.[1];
    expect(printedFile).toBeDefined();
    expect(existsSync(printedFile ?? '')).toBe(false);
    const text = execFileSync('pdftotext', [target, '-']).toString();
    expect(text).toContain('ZZ01-20261126-0001');
    expect(text).toContain('失业保险金申领');
  });
});
