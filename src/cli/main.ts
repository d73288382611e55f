/**
 * Technician and operator command line: `npm run cli -- <command>`. Every command that prints data
 * takes `--json` for scripts. Exit status: 0 success, 1 failure, 2 bad usage or configuration.
 *
 * This file only composes the program: the global options, the shared context (src/cli/context.ts)
 * and one module per command group (src/cli/commands/). A group imports what its commands need —
 * the backend, the devices, the hall, the sync client — inside their actions, so a command loads only
 * its own stack (`config` loads neither the store nor the printer).
 */
import { Command, CommanderError } from 'commander';
import { registerApplicationCommands } from './commands/application.js';
import { registerAuditCommand } from './commands/audit.js';
import { registerCatalogCommands } from './commands/catalog.js';
import { registerConfigCommand } from './commands/config.js';
import { registerDbCommands } from './commands/db.js';
import { registerDevicesCommands } from './commands/devices.js';
import { registerHallCommands } from './commands/hall.js';
import { registerIdcardCommands } from './commands/idcard.js';
import { registerPrinterCommands } from './commands/printer.js';
import { registerScannerCommands } from './commands/scanner.js';
import { registerSyncCommands } from './commands/sync.js';
import { registerTechCommands } from './commands/tech.js';
import { registerTicketCommands } from './commands/ticket.js';
import { CliExit, createCliContext, type CliIo, type RegisterCommands } from './context.js';

export { CliExit, type CliIo } from './context.js';

const defaultIo: CliIo = {
  out: (l) => console.log(l),
  err: (l) => console.error(l),
  stdin: async () => {
    const chunks: Buffer[] = [];
    for await (const c of process.stdin) chunks.push(Buffer.isBuffer(c) ? c : Buffer.from(String(c)));
    return Buffer.concat(chunks).toString('utf8');
  },
};

/** In the order `--help` lists them. */
const COMMAND_GROUPS: readonly RegisterCommands[] = [
  registerConfigCommand,
  registerDbCommands,
  registerCatalogCommands,
  registerDevicesCommands,
  registerIdcardCommands,
  registerPrinterCommands,
  registerScannerCommands,
  registerTicketCommands,
  registerTechCommands,
  registerAuditCommand,
  registerApplicationCommands,
  registerSyncCommands,
  registerHallCommands,
];

/** Builds the command tree; `run` parses argv and returns the exit code (it never calls process.exit). */
export function buildCli(io: CliIo = defaultIo, env: NodeJS.ProcessEnv = process.env) {
  const program = new Command('zizhu')
    .description('Zizhu Kiosk (政务服务自助终端) technician and operator commands')
    .option('--config <file>', 'configuration file (default: $KIOSK_CONFIG, else built-in defaults)')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) });
  const ctx = createCliContext(program, io, env);
  for (const register of COMMAND_GROUPS) register(program, ctx);

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
