/** `db status`, `db migrate`, `db reseal`: the kiosk database and its at-rest key. */
import { join } from 'node:path';
import type { KeyRotation } from '../../sqlite/index.js';
import { CliExit, table, type CliIo, type RegisterCommands } from '../context.js';

/** What a key rotation did, for `db reseal` and `hall db reseal`. */
export function printRotation(io: CliIo, json: boolean | undefined, r: KeyRotation): void {
  if (json) return io.out(JSON.stringify({ ok: true, ...r }, null, 2));
  const values = Object.values(r.values).reduce((a, b) => a + b, 0);
  io.out(
    table([
      [
        'key',
        r.previousKeyId ? `${r.previousKeyId} → ${r.keyId}` : `${r.keyId} (interrupted rotation finished)`,
      ],
      ['values sealed again', String(values)],
      ['files sealed again', String(r.files.resealed)],
      ['previous key', 'removed'],
    ]),
  );
}

export const registerDbCommands: RegisterCommands = (program, { io, config, fail }) => {
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
  db.command('reseal')
    .description(
      'rotate the at-rest key: seal every sealed value, scan and archive again under a new key (stop the kiosk first; run again to finish an interrupted one)',
    )
    .option('--json', 'print JSON')
    .action(async (o: { json?: boolean }) => {
      const c = config();
      const { atRestOptions, keyFileFor, openDatabase } = await import('../../backend/index.js');
      const { rotateAtRestKey } = await import('../../sqlite/index.js');
      const path = join(c.dataDir, 'kiosk.db');
      const options = atRestOptions(c);
      const r = await rotateAtRestKey({
        keyFile: keyFileFor(path, options.keyFile).path,
        open: () => openDatabase(path, options),
        roots: [c.dataDir],
      });
      if (!r.ok) return fail(o.json, r.error);
      printRotation(io, o.json, r.value);
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
