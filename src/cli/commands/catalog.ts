/** `catalog validate [dir]`: the service catalog seed. */
import { join } from 'node:path';
import { CliExit, table, type RegisterCommands } from '../context.js';

export const registerCatalogCommands: RegisterCommands = (program, { io }) => {
  const catalog = program.command('catalog').description('the service catalog seed');
  catalog
    .command('validate')
    .description('validate a catalog seed directory (default: the shipped one)')
    .argument('[dir]', 'catalog directory')
    .option('--json', 'print JSON')
    .action(async (dir: string | undefined, o: { json?: boolean }) => {
      const { readSeedCatalog, resourcesDir } = await import('../../backend/index.js');
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
        perWindow: Object.fromEntries(
          c.windows.map((w) => [w.code, c.items.filter((i) => i.window === w.code).length]),
        ),
      };
      if (o.json) return io.out(JSON.stringify(summary));
      io.out(`catalog ${c.version}: ${c.items.length} items, ${c.bundles.length} bundles — valid`);
      io.out(table(c.windows.map((w) => [w.code, w.name.zh, String(summary.perWindow[w.code] ?? 0)])));
    });
};
