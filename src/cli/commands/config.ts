/** `config`: the effective configuration. */
import { table, type RegisterCommands } from '../context.js';

export const registerConfigCommand: RegisterCommands = (program, { io, config }) => {
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
};
