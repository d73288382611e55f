/**
 * Reading a catalog seed directory (resources/catalog: manifest.json, windows.json, items/<window>.json,
 * bundles.json) validated by the catalog schema — the kiosk seeds its store from it, the operator
 * publishes it to kiosks (src/cli/hall-publish.ts) and the hall labels its desk with it
 * (src/hall/catalog.ts). Node only: not exported from the shared index.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { catalogSchema } from './catalog-schemas.js';
import { WINDOW_CODES, type Catalog } from './catalog.js';

export type CatalogLoadResult = { ok: true; catalog: Catalog } | { ok: false; error: string };

/** Reads and validates the seed catalog files. A broken seed is an error value naming the field. */
export function readSeedCatalog(dir: string): CatalogLoadResult {
  try {
    const read = (file: string): unknown => JSON.parse(readFileSync(join(dir, file), 'utf8'));
    const manifest = z.object({ version: z.string().min(1) }).parse(read('manifest.json'));
    const raw = {
      version: manifest.version,
      windows: read('windows.json'),
      items: WINDOW_CODES.flatMap((w) => {
        const items = read(join('items', `${w}.json`));
        return Array.isArray(items) ? (items as unknown[]) : [items];
      }),
      bundles: read('bundles.json'),
    };
    const parsed = catalogSchema.safeParse(raw);
    if (!parsed.success)
      return { ok: false, error: `catalog seed in ${dir} is invalid: ${z.prettifyError(parsed.error)}` };
    return { ok: true, catalog: parsed.data };
  } catch (e) {
    return { ok: false, error: `cannot read catalog seed in ${dir}: ${(e as Error).message}` };
  }
}
