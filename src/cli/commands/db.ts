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
      const { LATEST_VERSION, openDatabase, schemaVersion } = await import('../../backend/index.js');
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
    .action(async () => {
      const c = config();
      const { openDatabase } = await import('../../backend/index.js');
      const opened = openDatabase(join(c.dataDir, 'kiosk.db'));
      if (!opened.ok) {
        io.err(opened.message);
        throw new CliExit(1);
      }
      io.out(`schema ${opened.migratedFrom} → ${opened.migratedTo}`);
      opened.db.close();
    });
};
