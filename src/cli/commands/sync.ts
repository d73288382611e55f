/** `sync enroll`, `sync status`, `sync now`: synchronisation with the hall (docs/sync-protocol.md). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CliExit, table, type RegisterCommands } from '../context.js';

export const registerSyncCommands: RegisterCommands = (program, { io, config, quiet, withDb, fail }) => {
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
      const { atRestOptions, openDatabase } = await import('../../backend/index.js');
      const { checkHallUrl, describeError, enrollKiosk, pinnedFetch } = await import('../../sync/index.js');
      // The same rules as the console: no plain http hall off this machine in production, the CA pinned.
      const allowed = checkHallUrl(hallUrl, c.mode);
      if (!allowed.ok) return fail(o.json, allowed.error);
      const opened = openDatabase(join(c.dataDir, 'kiosk.db'), atRestOptions(c));
      if (!opened.ok) return fail(o.json, opened.message);
      try {
        const r = await enrollKiosk({
          db: opened.db,
          hallUrl,
          code: o.code,
          clock: () => new Date(),
          ...(c.hall.ca ? { fetch: pinnedFetch(readFileSync(c.hall.ca, 'utf8')) } : {}),
        });
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
    .action(async (o: { json?: boolean }) => {
      const { backlog, readEnrollment, readSyncState } = await import('../../sync/index.js');
      await withDb((d) => {
        const s = readSyncState(d);
        const status = {
          backlog: backlog(d),
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
      const {
        createHallDocuments,
        createRecordHandlers,
        loadSeedCalendar,
        loadSeedEvaluationItems,
        loadWindowHours,
        atRestOptions,
        openDatabase,
        resourcesDir,
      } = await import('../../backend/index.js');
      const { createSyncClient, describeError, pinnedFetch, readEnrollment } =
        await import('../../sync/index.js');
      const opened = openDatabase(join(c.dataDir, 'kiosk.db'), atRestOptions(c));
      if (!opened.ok) return fail(o.json, opened.message);
      const d = opened.db;
      try {
        const e = readEnrollment(d);
        if (!e)
          return fail(
            o.json,
            'this kiosk is not enrolled (npm run cli -- sync enroll --hall URL --code CODE)',
          );
        // Pulled hall documents (catalog, calendar, …) and case statuses are applied here too, as
        // the backend does.
        const documents = createHallDocuments({
          db: d,
          clock: () => new Date(),
          logger: await quiet(),
          seed: {
            calendar: loadSeedCalendar(resourcesDir()),
            evaluationItems: loadSeedEvaluationItems(resourcesDir()),
            windowHours: loadWindowHours(
              c.queue.hoursFile ?? join(resourcesDir(), 'calendar', 'window-hours.json'),
            ),
          },
        });
        const client = createSyncClient({
          db: d,
          hallUrl: e.hallUrl,
          credentials: e,
          blobDir: join(c.dataDir, 'blobs'),
          clock: () => new Date(),
          logger: await quiet(),
          random: Math.random,
          documents: documents.handlers,
          records: createRecordHandlers({ db: d }),
          firstSeq: e.firstSeq,
          ...(c.hall.ca ? { fetch: pinnedFetch(readFileSync(c.hall.ca, 'utf8')) } : {}),
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
};
