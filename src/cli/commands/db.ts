/** `db status`, `db migrate`: the kiosk database. */
import { join } from 'node:path';
import { CliExit, table, type RegisterCommands } from '../context.js';

export const registerDbCommands: RegisterCommands = (program, { io, config }) => {
  const db = program.command('db').description('the kiosk database');
  db.command('status')
    .description('schema version and row counts')
    .option('--json', 'print JSON')
    .action(async (o: { json?: boolean }) => {
      const c = config();
      const { countRows, LATEST_VERSION, atRestOptions, openDatabase, schemaVersion } =
        await import('../../backend/index.js');
      // The outbox's backlog is the sync client's rule (`sync status` reports the same number).
      const { backlog } = await import('../../sync/index.js');
      const path = join(c.dataDir, 'kiosk.db');
      const opened = openDatabase(path, atRestOptions(c));
      if (!opened.ok) {
        io.err(opened.message);
        throw new CliExit(1);
      }
      const d = opened.db;
      try {
        const status = {
          path,
          schemaVersion: schemaVersion(d),
          latestVersion: LATEST_VERSION,
          migratedFrom: opened.migratedFrom,
          counts: {
            serviceItems: countRows(d, 'service_items'),
            bundles: countRows(d, 'bundles'),
            applications: countRows(d, 'applications'),
            outboxPending: backlog(d),
            queueTickets: countRows(d, 'queue_tickets'),
            evaluations: countRows(d, 'evaluations'),
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
    .action(async () => {
      const c = config();
      const { atRestOptions, openDatabase } = await import('../../backend/index.js');
      const opened = openDatabase(join(c.dataDir, 'kiosk.db'), atRestOptions(c));
      if (!opened.ok) {
        io.err(opened.message);
        throw new CliExit(1);
      }
      io.out(`schema ${opened.migratedFrom} → ${opened.migratedTo}`);
      opened.db.close();
    });
};
