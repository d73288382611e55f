/**
 * Technician and operator command line: `npm run cli -- <command>`. Every command that prints data
 * takes `--json` for scripts. Exit status: 0 success, 1 failure, 2 bad usage or configuration.
 */
import { Command, CommanderError } from 'commander';
import { join } from 'node:path';
import {
  LATEST_VERSION,
  loadKioskConfig,
  openDatabase,
  readSeedCatalog,
  resourcesDir,
  schemaVersion,
  type KioskConfig,
} from '../backend/index.js';

export type CliIo = { out: (line: string) => void; err: (line: string) => void };

const defaultIo: CliIo = { out: (l) => console.log(l), err: (l) => console.error(l) };

export class CliExit extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}

function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => [...(r[i] ?? '')].length))) ?? [];
  return rows.map((r) => r.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd()).join('\n');
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
            outboxPending: d.prepare('SELECT count(*) FROM outbox WHERE acked_at IS NULL').pluck().get() as number,
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
        perWindow: Object.fromEntries(c.windows.map((w) => [w.code, c.items.filter((i) => i.window === w.code).length])),
      };
      if (o.json) return io.out(JSON.stringify(summary));
      io.out(`catalog ${c.version}: ${c.items.length} items, ${c.bundles.length} bundles — valid`);
      io.out(table(c.windows.map((w) => [w.code, w.name.zh, String(summary.perWindow[w.code] ?? 0)])));
    });

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
