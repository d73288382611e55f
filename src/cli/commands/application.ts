/** `application show`, `application pdf`: applications submitted at this kiosk. */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KioskConfig } from '../../backend/index.js';
import { table, type RegisterCommands } from '../context.js';

/**
 * The archived form of one application, regenerated when its file is missing: the file (sealed at
 * rest) and its plain PDF bytes.
 */
async function archivedForm(
  c: KioskConfig,
  receiptNo: string,
): Promise<{ ok: true; file: string; pdf: Buffer } | { ok: false; error: string }> {
  // The archiver renders the form with pdfkit: loaded by this command only.
  const {
    atRestOptions,
    createApplicationsStore,
    createArchiver,
    createCatalogService,
    openDatabase,
    readArchivedForm,
  } = await import('../../backend/index.js');
  const opened = openDatabase(join(c.dataDir, 'kiosk.db'), atRestOptions(c));
  if (!opened.ok) return { ok: false, error: opened.message };
  const plain = async (file: string) => {
    const pdf = await readArchivedForm(opened.db, file);
    return pdf
      ? { ok: true as const, file, pdf }
      : { ok: false as const, error: `the archived form ${file} cannot be opened with this kiosk's key` };
  };
  try {
    const row = createApplicationsStore(opened.db).byReceipt(receiptNo.trim().toUpperCase());
    if (!row) return { ok: false, error: `no application with receipt number ${receiptNo}` };
    if (row.archive_file && existsSync(row.archive_file)) return await plain(row.archive_file);
    if (row.purged_at)
      return {
        ok: false,
        error:
          'this application was handed to the hall and its personal data purged here: ask the hall for its archive',
      };
    const archiver = createArchiver({
      db: opened.db,
      catalog: createCatalogService(opened.db),
      config: {
        hallName: { zh: c.kiosk.hallName, en: c.kiosk.hallNameEn },
        timeZone: c.timeZone,
        progressUrl: c.resident.progressUrl,
        kioskCode: c.kiosk.code,
      },
      dataDir: c.dataDir,
    });
    const file = await archiver.archive(row.id);
    return file ? await plain(file) : { ok: false, error: 'the application form could not be archived' };
  } finally {
    opened.db.close();
  }
}

export const registerApplicationCommands: RegisterCommands = (program, { io, env, config, withDb, fail }) => {
  const applicationCmd = program.command('application').description('applications submitted at this kiosk');
  applicationCmd
    .command('show <receiptNo>')
    .description('status, history and print state of one application (masked)')
    .option('--json', 'print JSON')
    .action(async (receiptNo: string, o: { json?: boolean }) => {
      const { createApplicationsStore } = await import('../../backend/index.js');
      await withDb((db) => {
        const store = createApplicationsStore(db);
        const app = store.summaryByReceipt(receiptNo.trim().toUpperCase());
        if (!app) return fail(o.json, `no application with receipt number ${receiptNo}`);
        // The history's stored detail stays out of the output, as it always has.
        const history = store
          .history(app.id)
          .map(({ status, at, source, note }) => ({ status, at, source, note }));
        if (o.json) io.out(JSON.stringify({ ...app, history }));
        else {
          io.out(
            table(
              Object.entries(app).map(([k, v]) => [
                k,
                v === null || v === undefined
                  ? ''
                  : typeof v === 'object'
                    ? JSON.stringify(v)
                    : String(v as string | number),
              ]),
            ),
          );
          io.out(
            table([
              ['status', 'at', 'source', 'note'],
              ...history.map((h) => [h.status, h.at, h.source, h.note ?? '']),
            ]),
          );
        }
      });
    });
  applicationCmd
    .command('pdf <receiptNo>')
    .description(
      'the archived application form (PDF): regenerated if missing, copied to --out, or printed on the A4 printer with --print',
    )
    .option('--out <file>', 'write the PDF here')
    .option('--print', 'send it to the configured A4 printer (printing.a4Printer)')
    .option('--json', 'print JSON')
    .action(async (receiptNo: string, o: { out?: string; print?: boolean; json?: boolean }) => {
      const c = config();
      const result = await archivedForm(c, receiptNo);
      if (!result.ok) return fail(o.json, result.error);
      // The archive is sealed at rest: --out writes the plain PDF the technician asked for (0600).
      if (o.out) writeFileSync(o.out, result.pdf, { mode: 0o600 });
      let printed: boolean | null = null;
      if (o.print) {
        if (!c.printing.a4Printer) return fail(o.json, 'no A4 printer is configured (printing.a4Printer)');
        const { sendToCups } = await import('../../backend/index.js');
        // lp reads a file: a plain copy in a private temporary folder, removed after.
        const dir = mkdtempSync(join(tmpdir(), 'zizhu-form-'));
        const plainFile = join(dir, 'application-form.pdf');
        writeFileSync(plainFile, result.pdf, { mode: 0o600 });
        try {
          const sent = await sendToCups(c.printing.a4Printer, plainFile, env.KIOSK_LP_COMMAND);
          if (!sent.ok) return fail(o.json, `the A4 printer refused: ${sent.error.detail}`);
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
        printed = true;
      }
      if (o.json) io.out(JSON.stringify({ ok: true, file: result.file, out: o.out ?? null, printed }));
      else io.out(`${result.file}${o.out ? ` → ${o.out}` : ''}${printed ? ' (sent to the A4 printer)' : ''}`);
    });
};
