/** `idcard read`: read one card with the configured (or given) reader. */
import { table, type RegisterCommands } from '../context.js';

export const registerIdcardCommands: RegisterCommands = (program, { io, config, quiet, fail }) => {
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
      const { idcard } = await import('../../devices/index.js');
      const r = await idcard.readIdCardOnce({
        uri: o.uri ?? c.devices.idcard,
        mode: c.mode,
        timeoutMs: Number(o.timeout) || 15000,
        logger: await quiet(),
      });
      if (!r.ok) return fail(o.json, r.error.message, { kind: r.error.kind });
      const id = r.value;
      if (o.json) return io.out(JSON.stringify(id, null, 2));
      io.out(table(Object.entries(id).map(([k, v]) => [k, String(v)])));
    });
};
