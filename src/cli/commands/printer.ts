/** `printer status`, `printer test`: the receipt (or any given) printer. */
import { writeFileSync } from 'node:fs';
import { CliExit, type RegisterCommands } from '../context.js';

export const registerPrinterCommands: RegisterCommands = (program, { io, config, quiet, fail }) => {
  const printerCmd = program.command('printer').description('receipt and ticket printers');
  printerCmd
    .command('status')
    .description('ask the printer for its status (DLE EOT 1–4)')
    .option('--uri <uri>', 'printer address (default: the configured receipt printer)')
    .option('--json', 'print JSON')
    .action(async (o: { uri?: string; json?: boolean }) => {
      const c = config();
      const { printer } = await import('../../devices/index.js');
      const r = await printer.printerStatusOnce({
        uri: o.uri ?? c.devices.printer,
        mode: c.mode,
        logger: await quiet(),
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
      const { printer } = await import('../../devices/index.js');
      const r = await printer.printTestPage({
        uri: o.uri ?? c.devices.printer,
        mode: c.mode,
        logger: await quiet(),
        kioskId: c.kiosk.name,
      });
      if (!r.ok) return fail(o.json, r.error);
      const { outcome, preview } = r.value;
      if (o.preview && preview) writeFileSync(o.preview, preview);
      const ok = outcome.kind === 'printed';
      if (o.json)
        io.out(JSON.stringify({ ok, outcome: outcome.kind, text: printer.printOutcomeText(outcome, 'en') }));
      else io.out(printer.printOutcomeText(outcome, 'en'));
      if (!ok) throw new CliExit(1);
    });
};
