/**
 * Technician and operator command line: `npm run cli -- <command>`. Every command that prints data
 * takes `--json` for scripts. Exit status: 0 success, 1 failure, 2 bad usage or configuration.
 */
import { Command, CommanderError } from 'commander';
import { copyFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { pino } from 'pino';
import { idcard, printer, scanner } from '../devices/index.js';
import { createDeviceManager } from '../devices/index.js';
import { windowCodeSchema } from '../shared/index.js';
import {
  createQueueService,
  createTechnicianAuth,
  deviceUris,
  ensureCatalog,
  listSerialPorts,
  LATEST_VERSION,
  loadKioskConfig,
  openDatabase,
  readSeedCatalog,
  resourcesDir,
  schemaVersion,
  type Db,
  type KioskConfig,
  createArchiver,
  createCatalogService,
  createHallDocuments,
  createRecordHandlers,
  loadSeedCalendar,
  loadSeedEvaluationItems,
  sendToCups,
} from '../backend/index.js';
import { createHallService, createStaffDesk, loadHallConfig, openHallDatabase } from '../hall/index.js';
import { publishDocument, readPublishable, type Publishable } from './hall-publish.js';
import {
  createSyncClient,
  describeError,
  enrollKiosk,
  readEnrollment,
  readSyncState,
  backlog as syncBacklog,
} from '../sync/index.js';

export type CliIo = { out: (line: string) => void; err: (line: string) => void };

const defaultIo: CliIo = { out: (l) => console.log(l), err: (l) => console.error(l) };

export class CliExit extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}

function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => [...(r[i] ?? '')].length))) ?? [];
  return rows
    .map((r) =>
      r
        .map((c, i) => c.padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** Builds the command tree; `run` parses argv and returns the exit code (it never calls process.exit). */
export function buildCli(io: CliIo = defaultIo, env: NodeJS.ProcessEnv = process.env) {
  const program = new Command('zizhu')
    .description('Zizhu Kiosk (政务服务自助终端) technician and operator commands')
    .option('--config <file>', 'configuration file (default: $KIOSK_CONFIG, else built-in defaults)')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) });

  const config = (): KioskConfig => {
    const opts = program.opts<{ config?: string }>();
    const r = loadKioskConfig({ argv: opts.config ? ['--config', opts.config] : [], env });
    if (!r.ok) {
      io.err(`configuration error: ${r.error}`);
      throw new CliExit(2);
    }
    return r.config;
  };

  program
    .command('config')
    .description('show the effective configuration')
    .option('--json', 'print JSON')
    .action((o: { json?: boolean }) => {
      const c = config();
      if (o.json) return io.out(JSON.stringify(c, null, 2));
      io.out(
        table([
          ['source', c.source ?? '(defaults)'],
          ['mode', c.mode],
          ['port', String(c.port)],
          ['data dir', c.dataDir],
          ['hall', c.hall.url ?? '(not enrolled)'],
          ...Object.entries(c.devices).map(([k, v]) => [`device ${k}`, v]),
        ]),
      );
    });

  const db = program.command('db').description('the kiosk database');
  db.command('status')
    .description('schema version and row counts')
    .option('--json', 'print JSON')
    .action((o: { json?: boolean }) => {
      const c = config();
      const path = join(c.dataDir, 'kiosk.db');
      const opened = openDatabase(path);
      if (!opened.ok) {
        io.err(opened.message);
        throw new CliExit(1);
      }
      const d = opened.db;
      try {
        const count = (t: string) => d.prepare(`SELECT count(*) FROM ${t}`).pluck().get() as number;
        const status = {
          path,
          schemaVersion: schemaVersion(d),
          latestVersion: LATEST_VERSION,
          migratedFrom: opened.migratedFrom,
          counts: {
            serviceItems: count('service_items'),
            bundles: count('bundles'),
            applications: count('applications'),
            outboxPending: d
              .prepare('SELECT count(*) FROM outbox WHERE acked_at IS NULL')
              .pluck()
              .get() as number,
            queueTickets: count('queue_tickets'),
            evaluations: count('evaluations'),
          },
        };
        if (o.json) return io.out(JSON.stringify(status, null, 2));
        io.out(
          table([
            ['database', path],
            ['schema', `${status.schemaVersion} (latest ${LATEST_VERSION})`],
            ...Object.entries(status.counts).map(([k, v]) => [k, String(v)]),
          ]),
        );
      } finally {
        d.close();
      }
    });
  db.command('migrate')
    .description('open the database and apply pending migrations')
    .action(() => {
      const c = config();
      const opened = openDatabase(join(c.dataDir, 'kiosk.db'));
      if (!opened.ok) {
        io.err(opened.message);
        throw new CliExit(1);
      }
      io.out(`schema ${opened.migratedFrom} → ${opened.migratedTo}`);
      opened.db.close();
    });

  const catalog = program.command('catalog').description('the service catalog seed');
  catalog
    .command('validate')
    .description('validate a catalog seed directory (default: the shipped one)')
    .argument('[dir]', 'catalog directory')
    .option('--json', 'print JSON')
    .action((dir: string | undefined, o: { json?: boolean }) => {
      const target = dir ?? join(resourcesDir(), 'catalog');
      const r = readSeedCatalog(target);
      if (!r.ok) {
        if (o.json) io.out(JSON.stringify({ ok: false, error: r.error }));
        else io.err(r.error);
        throw new CliExit(1);
      }
      const { catalog: c } = r;
      const summary = {
        ok: true,
        version: c.version,
        items: c.items.length,
        bundles: c.bundles.length,
        perWindow: Object.fromEntries(
          c.windows.map((w) => [w.code, c.items.filter((i) => i.window === w.code).length]),
        ),
      };
      if (o.json) return io.out(JSON.stringify(summary));
      io.out(`catalog ${c.version}: ${c.items.length} items, ${c.bundles.length} bundles — valid`);
      io.out(table(c.windows.map((w) => [w.code, w.name.zh, String(summary.perWindow[w.code] ?? 0)])));
    });

  // ---- devices (issue: devices) -------------------------------------------------------------
  const quiet = () => pino({ level: env.KIOSK_LOG_LEVEL ?? 'silent' });
  const withDb = <T>(fn: (db: Db, c: KioskConfig) => T): T => {
    const c = config();
    const opened = openDatabase(join(c.dataDir, 'kiosk.db'));
    if (!opened.ok) {
      io.err(opened.message);
      throw new CliExit(1);
    }
    try {
      return fn(opened.db, c);
    } finally {
      opened.db.close();
    }
  };
  const fail = (json: boolean | undefined, message: string, extra: Record<string, unknown> = {}): never => {
    if (json) io.out(JSON.stringify({ ok: false, error: message, ...extra }));
    else io.err(message);
    throw new CliExit(1);
  };

  const devices = program.command('devices').description('devices of this kiosk');
  devices
    .command('list')
    .description('serial ports and configured devices with their status')
    .option('--json', 'print JSON')
    .option('--wait <ms>', 'how long to let the devices open before reporting', '3000')
    .action(async (o: { json?: boolean; wait: string }) => {
      const { uris, mode } = withDb((db, c) => ({ uris: deviceUris(db, c), mode: c.mode }));
      const manager = createDeviceManager({ uris, mode, logger: quiet(), printerPollMs: null });
      try {
        await Promise.race([manager.start(), new Promise((r) => setTimeout(r, Number(o.wait) || 3000))]);
        const result = { serialPorts: await listSerialPorts(), devices: manager.statuses() };
        if (o.json) return io.out(JSON.stringify(result, null, 2));
        io.out(
          table([
            ['device', 'address', 'state'],
            ...result.devices.map((d) => [
              d.kind,
              d.uri,
              'detail' in d ? `${d.state}: ${d.detail}` : d.state,
            ]),
          ]),
        );
        io.out('');
        io.out(
          result.serialPorts.length === 0
            ? 'no serial ports found'
            : table(
                result.serialPorts.map((p) => [
                  p.path,
                  p.manufacturer ?? '',
                  `${p.vendorId ?? ''}:${p.productId ?? ''}`,
                ]),
              ),
        );
      } finally {
        await manager.close();
      }
    });

  program
    .command('idcard')
    .description('ID-card reader')
    .command('read')
    .description('read one card (fields printed as JSON with --json)')
    .option('--uri <uri>', 'reader address (default: the configured one)')
    .option('--timeout <ms>', 'how long to wait for a card', '15000')
    .option('--json', 'print JSON')
    .action(async (o: { uri?: string; timeout: string; json?: boolean }) => {
      const c = config();
      const r = await idcard.readIdCardOnce({
        uri: o.uri ?? c.devices.idcard,
        mode: c.mode,
        timeoutMs: Number(o.timeout) || 15000,
        logger: quiet(),
      });
      if (!r.ok) return fail(o.json, r.error.message, { kind: r.error.kind });
      const id = r.value;
      if (o.json) return io.out(JSON.stringify(id, null, 2));
      io.out(table(Object.entries(id).map(([k, v]) => [k, String(v)])));
    });

  const printerCmd = program.command('printer').description('receipt and ticket printers');
  printerCmd
    .command('status')
    .description('ask the printer for its status (DLE EOT 1–4)')
    .option('--uri <uri>', 'printer address (default: the configured receipt printer)')
    .option('--json', 'print JSON')
    .action(async (o: { uri?: string; json?: boolean }) => {
      const c = config();
      const r = await printer.printerStatusOnce({
        uri: o.uri ?? c.devices.printer,
        mode: c.mode,
        logger: quiet(),
      });
      if (!r.ok) return fail(o.json, r.error);
      if (o.json) return io.out(JSON.stringify(r.value));
      io.out(`${r.value.status} — ${r.value.detail}`);
    });
  printerCmd
    .command('test')
    .description('print the technician test page')
    .option('--uri <uri>', 'printer address (default: the configured receipt printer)')
    .option('--preview <file>', 'with a simulated printer, also write what it printed as PNG')
    .option('--json', 'print JSON')
    .action(async (o: { uri?: string; json?: boolean; preview?: string }) => {
      const c = config();
      const r = await printer.printTestPage({
        uri: o.uri ?? c.devices.printer,
        mode: c.mode,
        logger: quiet(),
        kioskId: c.kiosk.name,
      });
      if (!r.ok) return fail(o.json, r.error);
      const { outcome, preview } = r.value;
      if (o.preview && preview) (await import('node:fs')).writeFileSync(o.preview, preview);
      const ok = outcome.kind === 'printed';
      if (o.json)
        io.out(JSON.stringify({ ok, outcome: outcome.kind, text: printer.printOutcomeText(outcome, 'en') }));
      else io.out(printer.printOutcomeText(outcome, 'en'));
      if (!ok) throw new CliExit(1);
    });

  program
    .command('scanner')
    .description('document scanner')
    .command('scan')
    .description('scan one page to a JPEG file')
    .requiredOption('--out <file>', 'where to write the page')
    .option('--uri <uri>', 'scanner address (default: the configured one)')
    .option('--resolution <dpi>', 'resolution', '300')
    .option('--json', 'print JSON')
    .action(async (o: { out: string; uri?: string; resolution: string; json?: boolean }) => {
      const c = config();
      const r = await scanner.scanOnce({
        uri: o.uri ?? c.devices.scanner,
        mode: c.mode,
        logger: quiet(),
        out: o.out,
        resolution: Number(o.resolution) || 300,
      });
      if (!r.ok) return fail(o.json, r.error.message, { kind: r.error.kind });
      if (o.json) return io.out(JSON.stringify({ ok: true, ...r.value }));
      io.out(
        `${r.value.out}: ${r.value.width}×${r.value.height}, ${r.value.size} bytes, sha256 ${r.value.sha256}${r.value.blank ? ' (blank page)' : ''}`,
      );
    });

  program
    .command('ticket')
    .description('queue tickets')
    .command('issue')
    .description('issue and print a queue ticket with the configured ticket printer')
    .requiredOption('--category <window>', `window category: ${windowCodeSchema.options.join(', ')}`)
    .option('--lang <lang>', 'zh or en', 'zh')
    .option('--json', 'print JSON')
    .action(async (o: { category: string; lang: string; json?: boolean }) => {
      const window = windowCodeSchema.safeParse(o.category);
      if (!window.success)
        return fail(
          o.json,
          `unknown category "${o.category}" (expected ${windowCodeSchema.options.join(', ')})`,
        );
      const c = config();
      const opened = openDatabase(join(c.dataDir, 'kiosk.db'));
      if (!opened.ok) return fail(o.json, opened.message);
      const db = opened.db;
      const seeded = ensureCatalog(db, join(resourcesDir(), 'catalog'), new Date());
      if (!seeded.ok) {
        db.close();
        return fail(o.json, seeded.error);
      }
      const manager = createDeviceManager({
        uris: { ...deviceUris(db, c), idcard: 'none', printer: 'none', scanner: 'none', codeReader: 'none' },
        mode: c.mode,
        logger: quiet(),
        printerPollMs: null,
      });
      try {
        await manager.start();
        const queue = createQueueService({
          db,
          clock: () => new Date(),
          logger: quiet(),
          config: { ...c.queue, timeZone: c.timeZone },
          hallName: () => ({ zh: c.kiosk.hallName, en: c.kiosk.hallNameEn }),
          ticketPrinter: () => manager.ticketPrinter(),
        });
        const r = await queue.issue({
          window: window.data,
          idempotencyKey: `cli-${Date.now()}-${process.pid}`,
          lang: o.lang === 'en' ? 'en' : 'zh',
        });
        if (!r.ok)
          return fail(
            o.json,
            `no ticket: ${r.error.kind}${'detail' in r.error ? ` (${r.error.detail})` : ''}`,
            { error: r.error },
          );
        if (o.json) io.out(JSON.stringify({ ok: true, ticket: r.ticket }));
        else io.out(`${r.ticket.number} — ${r.ticket.windowName.zh} — ${r.ticket.printState}`);
        if (r.ticket.printState !== 'printed') throw new CliExit(1);
      } finally {
        await manager.close();
        db.close();
      }
    });

  program
    .command('tech')
    .description('technician console access')
    .command('set-pin')
    .description('set the technician console PIN (6–12 digits), read from --pin or $KIOSK_TECH_PIN')
    .option('--pin <digits>', 'the new PIN')
    .action((o: { pin?: string }) => {
      const pin = o.pin ?? env.KIOSK_TECH_PIN;
      if (!pin) return fail(false, 'give the PIN with --pin or KIOSK_TECH_PIN');
      withDb((db, c) => {
        const r = createTechnicianAuth({ db, clock: () => new Date(), mode: c.mode }).setPin(pin);
        if (!r.ok) return fail(false, r.error);
        io.out('technician PIN set');
      });
    });

  // ---- audit log and applications (issue 4: 电子监察 — traceable and queryable) -------------------
  program
    .command('audit')
    .description('the audit log (personal data is masked in it): newest first')
    .option('--since <iso>', 'only entries at or after this time (ISO 8601)')
    .option('--action <name>', 'only this action, e.g. submit, identify, session-end, receipt-print-failed')
    .option('--subject <id>', 'only entries about this subject (receipt number, session id, device)')
    .option('--limit <n>', 'at most n entries', '50')
    .option('--json', 'print JSON lines')
    .action((o: { since?: string; action?: string; subject?: string; limit: string; json?: boolean }) => {
      const limit = Number(o.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 100_000)
        return fail(o.json, '--limit must be a whole number from 1 to 100000');
      if (o.since !== undefined && Number.isNaN(Date.parse(o.since)))
        return fail(o.json, `--since is not a date: ${o.since}`);
      withDb((db) => {
        const rows = db
          .prepare(
            `SELECT id, at, actor, action, subject, detail FROM audit_log
             WHERE (@since IS NULL OR at >= @since) AND (@action IS NULL OR action = @action) AND (@subject IS NULL OR subject = @subject)
             ORDER BY id DESC LIMIT @limit`,
          )
          .all({
            since: o.since ? new Date(o.since).toISOString() : null,
            action: o.action ?? null,
            subject: o.subject ?? null,
            limit,
          }) as {
          id: number;
          at: string;
          actor: string;
          action: string;
          subject: string | null;
          detail: string | null;
        }[];
        if (o.json) {
          for (const r of rows)
            io.out(
              JSON.stringify({ ...r, detail: r.detail === null ? null : (JSON.parse(r.detail) as unknown) }),
            );
          return;
        }
        io.out(
          table([
            ['at', 'actor', 'action', 'subject', 'detail'],
            ...rows.map((r) => [r.at, r.actor, r.action, r.subject ?? '', r.detail ?? '']),
          ]),
        );
      });
    });

  /** The archived form of one application, regenerated when its file is missing. */
  const archivedForm = async (
    c: KioskConfig,
    receiptNo: string,
  ): Promise<{ ok: true; file: string } | { ok: false; error: string }> => {
    const opened = openDatabase(join(c.dataDir, 'kiosk.db'));
    if (!opened.ok) return { ok: false, error: opened.message };
    try {
      const row = opened.db
        .prepare('SELECT id, archive_file, purged_at FROM applications WHERE receipt_no = ?')
        .get(receiptNo.trim().toUpperCase()) as
        { id: string; archive_file: string | null; purged_at: string | null } | undefined;
      if (!row) return { ok: false, error: `no application with receipt number ${receiptNo}` };
      if (row.archive_file && existsSync(row.archive_file)) return { ok: true, file: row.archive_file };
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
      return file ? { ok: true, file } : { ok: false, error: 'the application form could not be archived' };
    } finally {
      opened.db.close();
    }
  };

  const applicationCmd = program.command('application').description('applications submitted at this kiosk');
  applicationCmd
    .command('show <receiptNo>')
    .description('status, history and print state of one application (masked)')
    .option('--json', 'print JSON')
    .action((receiptNo: string, o: { json?: boolean }) => {
      withDb((db) => {
        const app = db
          .prepare(
            'SELECT id, receipt_no, item_code, applicant_masked, status, submitted_at, promised_date, print_state, print_detail, archive_file, hall_acknowledged_at FROM applications WHERE receipt_no = ?',
          )
          .get(receiptNo.trim().toUpperCase()) as Record<string, unknown> | undefined;
        if (!app) return fail(o.json, `no application with receipt number ${receiptNo}`);
        const history = db
          .prepare(
            'SELECT status, at, source, note FROM application_status_history WHERE application_id = ? ORDER BY id',
          )
          .all(app.id);
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
              ...(history as { status: string; at: string; source: string; note: string | null }[]).map(
                (h) => [h.status, h.at, h.source, h.note ?? ''],
              ),
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
      if (o.out) copyFileSync(result.file, o.out);
      let printed: boolean | null = null;
      if (o.print) {
        if (!c.printing.a4Printer) return fail(o.json, 'no A4 printer is configured (printing.a4Printer)');
        const sent = await sendToCups(c.printing.a4Printer, result.file, env.KIOSK_LP_COMMAND);
        if (!sent.ok) return fail(o.json, `the A4 printer refused: ${sent.detail}`);
        printed = true;
      }
      if (o.json) io.out(JSON.stringify({ ok: true, file: result.file, out: o.out ?? null, printed }));
      else io.out(`${result.file}${o.out ? ` → ${o.out}` : ''}${printed ? ' (sent to the A4 printer)' : ''}`);
    });

  // ---- sync (issue 5, docs/sync-protocol.md) --------------------------------------------------
  const sync = program.command('sync').description('synchronisation with the hall');
  sync
    .command('enroll')
    .description('enrol this kiosk with the hall using a one-time code')
    .option('--hall <url>', 'hall URL (default: hall.url of the configuration)')
    .requiredOption('--code <code>', 'one-time enrolment code (npm run cli -- hall enrollment-code)')
    .option('--json', 'print JSON')
    .action(async (o: { hall?: string; code: string; json?: boolean }) => {
      const c = config();
      const hallUrl = o.hall ?? c.hall.url;
      if (!hallUrl) {
        io.err('give the hall URL with --hall (or hall.url in the configuration)');
        throw new CliExit(2);
      }
      if (!URL.canParse(hallUrl)) {
        io.err(`not a URL: ${hallUrl}`);
        throw new CliExit(2);
      }
      const opened = openDatabase(join(c.dataDir, 'kiosk.db'));
      if (!opened.ok) return fail(o.json, opened.message);
      try {
        const r = await enrollKiosk({ db: opened.db, hallUrl, code: o.code, clock: () => new Date() });
        if (!r.ok) return fail(o.json, `enrolment failed: ${describeError(r.error)}`);
        const { kioskId, jurisdiction, hallUrl: url } = r.enrollment;
        if (o.json) io.out(JSON.stringify({ ok: true, kioskId, jurisdiction, hallUrl: url }));
        else io.out(`enrolled as ${kioskId} (jurisdiction ${jurisdiction}) with ${url}`);
      } finally {
        opened.db.close();
      }
    });
  sync
    .command('status')
    .description('backlog, last success, last error, online')
    .option('--json', 'print JSON: { "backlog", "lastSuccessAt", "lastError", "online" }')
    .action((o: { json?: boolean }) => {
      withDb((d) => {
        const s = readSyncState(d);
        const status = {
          backlog: syncBacklog(d),
          lastSuccessAt: s.lastSuccessAt,
          lastError: s.lastError,
          online: s.online,
        };
        if (o.json) return io.out(JSON.stringify(status));
        const e = readEnrollment(d);
        io.out(
          table([
            ['enrolled', e ? `${e.kioskId} → ${e.hallUrl}` : 'no'],
            ['backlog', String(status.backlog)],
            ['online', status.online ? 'yes' : 'no'],
            ['last success', status.lastSuccessAt ?? '-'],
            ['last error', status.lastError ?? '-'],
          ]),
        );
      });
    });
  sync
    .command('now')
    .description('one push and pull cycle; exit status 0 only when the backlog is empty')
    .option('--json', 'print JSON')
    .action(async (o: { json?: boolean }) => {
      const c = config();
      const opened = openDatabase(join(c.dataDir, 'kiosk.db'));
      if (!opened.ok) return fail(o.json, opened.message);
      const d = opened.db;
      try {
        const e = readEnrollment(d);
        if (!e)
          return fail(
            o.json,
            'this kiosk is not enrolled (npm run cli -- sync enroll --hall URL --code CODE)',
          );
        // Pulled hall documents (catalog, calendar, …) are applied here too, as the backend does.
        const documents = createHallDocuments({
          db: d,
          clock: () => new Date(),
          logger: quiet(),
          seed: {
            calendar: loadSeedCalendar(resourcesDir()),
            evaluationItems: loadSeedEvaluationItems(resourcesDir()),
          },
        });
        const records = createRecordHandlers({ db: d });
        const client = createSyncClient({
          db: d,
          hallUrl: e.hallUrl,
          credentials: e,
          blobDir: join(c.dataDir, 'blobs'),
          clock: () => new Date(),
          logger: quiet(),
          random: Math.random,
          documents: documents.handlers,
          records,
        });
        const r = await client.runOnce();
        const out = r.ok
          ? { ok: true, pushed: r.pushed, pulled: r.pulled, backlog: r.backlog }
          : { ok: false, error: describeError(r.error), backlog: r.backlog };
        if (o.json) io.out(JSON.stringify(out));
        else
          io.out(
            r.ok
              ? `pushed ${r.pushed}, pulled ${r.pulled}, backlog ${r.backlog}`
              : `sync failed: ${describeError(r.error)} (backlog ${r.backlog})`,
          );
        if (!r.ok || r.backlog > 0) throw new CliExit(1);
      } finally {
        d.close();
      }
    });

  // ---- hall (operators) -----------------------------------------------------------------------
  const hallCmd = program.command('hall').description('the reference hall server (HALL_DATA_DIR)');
  hallCmd
    .command('licence-add')
    .description('record a shared electronic licence (电子证照) the hall can vouch for')
    .requiredOption('--id-number <id>', 'holder’s ID number')
    .requiredOption('--material <code>', 'material code in the catalog, e.g. sfz, hkb, yyzz')
    .requiredOption('--licence-no <no>', 'the licence’s own number')
    .option('--json', 'print JSON')
    .action((o: { idNumber: string; material: string; licenceNo: string; json?: boolean }) => {
      const hc = loadHallConfig(env);
      if (!hc.ok) {
        io.err(`hall configuration error: ${hc.error}`);
        throw new CliExit(2);
      }
      if (!/^[0-9A-Za-z]{15,18}$/.test(o.idNumber))
        return fail(o.json, 'the ID number is 15–18 letters or digits');
      const opened = openHallDatabase(join(hc.config.dataDir, 'hall.db'));
      if (!opened.ok) return fail(o.json, opened.message);
      try {
        createHallService({ db: opened.db, dataDir: hc.config.dataDir, clock: () => new Date() }).addLicence(
          o.idNumber,
          o.material,
          o.licenceNo,
        );
        if (o.json) io.out(JSON.stringify({ ok: true, material: o.material }));
        else io.out(`licence ${o.material} recorded`);
      } finally {
        opened.db.close();
      }
    });

  hallCmd
    .command('staff-token')
    .description('create a bearer token for a staff member of one jurisdiction (staff API)')
    .requiredOption('--jurisdiction <code>', '属地 code whose cases the staff member handles')
    .requiredOption('--name <name>', 'staff member, as recorded with each action')
    .option('--json', 'print JSON')
    .action((o: { jurisdiction: string; name: string; json?: boolean }) => {
      const hc = loadHallConfig(env);
      if (!hc.ok) {
        io.err(`hall configuration error: ${hc.error}`);
        throw new CliExit(2);
      }
      if (!/^[0-9A-Za-z-]{1,32}$/.test(o.jurisdiction)) {
        io.err(`bad jurisdiction code "${o.jurisdiction}"`);
        throw new CliExit(2);
      }
      const opened = openHallDatabase(join(hc.config.dataDir, 'hall.db'));
      if (!opened.ok) return fail(o.json, opened.message);
      try {
        const clock = () => new Date();
        const service = createHallService({ db: opened.db, dataDir: hc.config.dataDir, clock });
        const token = createStaffDesk({ db: opened.db, service, clock }).createToken(o.name, o.jurisdiction);
        if (o.json) io.out(JSON.stringify({ token, name: o.name, jurisdiction: o.jurisdiction }));
        else io.out(token);
      } finally {
        opened.db.close();
      }
    });
  hallCmd
    .command('enrollment-code')
    .description('create a one-time kiosk enrolment code')
    .option('--jurisdiction <code>', '属地 code of the kiosk (default: $HALL_JURISDICTION, else 000000)')
    .option('--ttl-hours <n>', 'hours until the code expires', '24')
    .option('--json', 'print JSON')
    .action((o: { jurisdiction?: string; ttlHours: string; json?: boolean }) => {
      const hc = loadHallConfig(env);
      if (!hc.ok) {
        io.err(`hall configuration error: ${hc.error}`);
        throw new CliExit(2);
      }
      const jurisdiction = o.jurisdiction ?? (env.HALL_JURISDICTION || '000000');
      if (!/^[0-9A-Za-z-]{1,32}$/.test(jurisdiction)) {
        io.err(`bad jurisdiction code "${jurisdiction}"`);
        throw new CliExit(2);
      }
      const ttl = Number(o.ttlHours);
      if (!Number.isFinite(ttl) || ttl <= 0) {
        io.err('--ttl-hours must be a positive number');
        throw new CliExit(2);
      }
      const opened = openHallDatabase(join(hc.config.dataDir, 'hall.db'));
      if (!opened.ok) return fail(o.json, opened.message);
      try {
        const service = createHallService({
          db: opened.db,
          dataDir: hc.config.dataDir,
          clock: () => new Date(),
        });
        const r = service.createEnrollmentCode(jurisdiction, ttl * 3600_000);
        if (o.json) io.out(JSON.stringify(r));
        else io.out(`${r.code}  (jurisdiction ${r.jurisdiction}, valid until ${r.expiresAt})`);
      } finally {
        opened.db.close();
      }
    });

  // Hall-owned documents every kiosk pulls and applies (docs/sync-protocol.md, 5 "Streams").
  const publishCommands: readonly { name: string; stream: Publishable; arg: string; what: string }[] = [
    {
      name: 'publish-catalog',
      stream: 'catalog',
      arg: '<dir>',
      what: 'a service catalog (a seed directory like resources/catalog)',
    },
    {
      name: 'publish-calendar',
      stream: 'calendar',
      arg: '<file>',
      what: 'the holiday calendar (JSON like resources/calendar/cn-holidays.json)',
    },
    {
      name: 'publish-evaluation-items',
      stream: 'evaluation-items',
      arg: '<file>',
      what: 'the evaluation content items (JSON like resources/evaluation/items.json)',
    },
    {
      name: 'publish-config',
      stream: 'kiosk-config',
      arg: '<file>',
      what: 'kiosk settings (JSON or YAML: hallName, hallNameEn, hallPhone, idleSeconds, countdownSeconds)',
    },
  ];
  for (const p of publishCommands) {
    hallCmd
      .command(`${p.name} ${p.arg}`)
      .description(`validate ${p.what} and publish it to every kiosk`)
      .option('--json', 'print JSON')
      .action((path: string, o: { json?: boolean }) => {
        const hc = loadHallConfig(env);
        if (!hc.ok) {
          io.err(`hall configuration error: ${hc.error}`);
          throw new CliExit(2);
        }
        const doc = readPublishable(p.stream, path);
        if (!doc.ok) return fail(o.json, doc.error);
        const opened = openHallDatabase(join(hc.config.dataDir, 'hall.db'));
        if (!opened.ok) return fail(o.json, opened.message);
        try {
          const service = createHallService({
            db: opened.db,
            dataDir: hc.config.dataDir,
            clock: () => new Date(),
          });
          const r = publishDocument(service, p.stream, doc.data);
          if (o.json) io.out(JSON.stringify({ ok: true, ...r, label: doc.label }));
          else
            io.out(
              `published ${r.stream}/${r.key} version ${r.version}${doc.label ? ` (${doc.label})` : ''} to every kiosk`,
            );
        } finally {
          opened.db.close();
        }
      });
  }

  return {
    program,
    async run(argv: readonly string[]): Promise<number> {
      try {
        await program.parseAsync([...argv], { from: 'user' });
        return 0;
      } catch (e) {
        if (e instanceof CliExit) return e.code;
        if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
        throw e;
      }
    },
  };
}

const isMain = process.argv[1] !== undefined && /cli[\\/]main\.(ts|js)$/.test(process.argv[1]);
if (isMain) {
  buildCli()
    .run(process.argv.slice(2))
    .then(
      (code) => process.exit(code),
      (e: unknown) => {
        console.error(e);
        process.exit(1);
      },
    );
}
