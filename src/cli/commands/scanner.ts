/** `scanner scan`: one page from the configured (or given) scanner to a JPEG file. */
import type { RegisterCommands } from '../context.js';

export const registerScannerCommands: RegisterCommands = (program, { io, config, quiet, fail }) => {
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
      const { scanner } = await import('../../devices/index.js');
      const r = await scanner.scanOnce({
        uri: o.uri ?? c.devices.scanner,
        mode: c.mode,
        logger: await quiet(),
        out: o.out,
        resolution: Number(o.resolution) || 300,
      });
      if (!r.ok) return fail(o.json, r.error.message, { kind: r.error.kind });
      if (o.json) return io.out(JSON.stringify({ ok: true, ...r.value }));
      io.out(
        `${r.value.out}: ${r.value.width}×${r.value.height}, ${r.value.size} bytes, sha256 ${r.value.sha256}${r.value.blank ? ' (blank page)' : ''}`,
      );
    });
};
