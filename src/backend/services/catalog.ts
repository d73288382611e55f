/**
 * Service catalog: loads the seed from resources/catalog into SQLite on first start (validated with
 * zod) and answers the read-only queries of the catalog browser and search.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type * as PinyinPro from 'pinyin-pro';
import { z } from 'zod';
import {
  bundleSchema,
  catalogSchema,
  localizedSchema,
  serviceItemSchema,
  windowCategorySchema,
  WINDOW_CODES,
  type Bundle,
  type Catalog,
  type ServiceItem,
  type WindowCategory,
  type WindowCode,
} from '../../shared/index.js';
import type { Db } from '../store/db.js';
import { lazyRequire } from '../../shared/lazy-require.js';

/** pinyin-pro (~50 ms to load) loads with the first search, not when the kiosk starts. */
const pinyinPro = lazyRequire<typeof PinyinPro>('pinyin-pro');

/**
 * The search text of an item written by replaceCatalog until the first search computes it: writing
 * a catalog — the seed on a kiosk's first start, a catalog pulled from the hall — then neither loads
 * pinyin-pro nor runs it over every name and keyword, which took ~100 ms of the first start.
 */
const SEARCH_TEXT_PENDING = '';

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

/** Pinyin initials and full pinyin of the Chinese name, so `sb` finds 社保 items. */
export function searchTextFor(item: Pick<ServiceItem, 'name' | 'keywords' | 'code'>): string {
  const { pinyin } = pinyinPro();
  const words = [item.name.zh, ...item.keywords];
  const parts = words.flatMap((w) => [
    w,
    pinyin(w, { pattern: 'first', toneType: 'none', type: 'array', nonZh: 'consecutive' }).join(''),
    pinyin(w, { toneType: 'none', type: 'array', nonZh: 'consecutive' }).join(''),
  ]);
  return [...parts, item.name.en, item.code].join(' ').toLowerCase();
}

/**
 * Replaces the catalog in one transaction (so readers never see half a catalog). Used for the seed
 * on first start and, later, for catalog updates pulled from the hall.
 */
export function replaceCatalog(db: Db, catalog: Catalog, source: 'seed' | 'hall', now: Date): void {
  db.transaction(() => {
    db.exec('DELETE FROM bundle_items; DELETE FROM bundles; DELETE FROM service_materials;');
    // Items referenced by applications stay (their rows are updated below); others are removed.
    const keep = new Set(catalog.items.map((i) => i.code));
    const existing = db.prepare('SELECT code FROM service_items').pluck().all() as string[];
    const referenced = new Set(
      db.prepare('SELECT DISTINCT item_code FROM applications').pluck().all() as string[],
    );
    const delItem = db.prepare('DELETE FROM service_items WHERE code = ?');
    for (const code of existing) if (!keep.has(code) && !referenced.has(code)) delItem.run(code);

    const upWindow = db.prepare(
      `INSERT INTO window_categories (code, name_zh, name_en, sort_order, data) VALUES (@code, @zh, @en, @sort, @data)
       ON CONFLICT(code) DO UPDATE SET name_zh = excluded.name_zh, name_en = excluded.name_en,
         sort_order = excluded.sort_order, data = excluded.data`,
    );
    for (const w of catalog.windows) {
      upWindow.run({
        code: w.code,
        zh: w.name.zh,
        en: w.name.en,
        sort: w.sortOrder,
        data: JSON.stringify(w),
      });
    }
    const upItem = db.prepare(
      `INSERT INTO service_items (code, window_code, name_zh, name_en, case_type, legal_days, promised_days, search_text, data, catalog_version)
       VALUES (@code, @window, @zh, @en, @caseType, @legal, @promised, @search, @data, @version)
       ON CONFLICT(code) DO UPDATE SET window_code = excluded.window_code, name_zh = excluded.name_zh,
         name_en = excluded.name_en, case_type = excluded.case_type, legal_days = excluded.legal_days,
         promised_days = excluded.promised_days, search_text = excluded.search_text, data = excluded.data,
         catalog_version = excluded.catalog_version`,
    );
    const insMaterial = db.prepare(
      `INSERT INTO service_materials (item_code, code, position, name_zh, required, source, originals, copies)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    for (const item of catalog.items) {
      upItem.run({
        code: item.code,
        window: item.window,
        zh: item.name.zh,
        en: item.name.en,
        caseType: item.caseType,
        legal: item.legalDays,
        promised: item.promisedDays,
        search: SEARCH_TEXT_PENDING,
        data: JSON.stringify(item),
        version: catalog.version,
      });
      item.materials.forEach((m, i) =>
        insMaterial.run(item.code, m.code, i, m.name.zh, m.required ? 1 : 0, m.source, m.originals, m.copies),
      );
    }
    const insBundle = db.prepare(
      'INSERT INTO bundles (code, window_code, name_zh, name_en, data) VALUES (?, ?, ?, ?, ?)',
    );
    const insBundleItem = db.prepare(
      'INSERT INTO bundle_items (bundle_code, item_code, position) VALUES (?, ?, ?)',
    );
    for (const b of catalog.bundles) {
      insBundle.run(b.code, b.window, b.name.zh, b.name.en, JSON.stringify(b));
      b.items.forEach((code, i) => insBundleItem.run(b.code, code, i));
    }
    db.prepare(
      `INSERT INTO catalog_meta (id, version, source, loaded_at) VALUES (1, ?, ?, ?)
       ON CONFLICT(id) DO UPDATE SET version = excluded.version, source = excluded.source, loaded_at = excluded.loaded_at`,
    ).run(catalog.version, source, now.toISOString());
  }).immediate();
}

export type CatalogMeta = { version: string; source: 'seed' | 'hall'; loadedAt: string };

export function catalogMeta(db: Db): CatalogMeta | null {
  const row = db
    .prepare('SELECT version, source, loaded_at AS loadedAt FROM catalog_meta WHERE id = 1')
    .get() as CatalogMeta | undefined;
  return row ?? null;
}

/**
 * First start: load the seed. Later starts: load a different seed version (an upgraded kiosk) only
 * while the catalog still comes from the seed — a catalog the hall sent is never overwritten here.
 */
export function ensureCatalog(
  db: Db,
  seedDir: string,
  now: Date,
): { ok: true; loaded: boolean; version: string } | { ok: false; error: string } {
  const meta = catalogMeta(db);
  if (meta && (meta.source === 'hall' || meta.version === readVersion(seedDir))) {
    return { ok: true, loaded: false, version: meta.version };
  }
  const seed = readSeedCatalog(seedDir);
  if (!seed.ok) return seed;
  replaceCatalog(db, seed.catalog, 'seed', now);
  return { ok: true, loaded: true, version: seed.catalog.version };
}

function readVersion(seedDir: string): string {
  try {
    const v = (JSON.parse(readFileSync(join(seedDir, 'manifest.json'), 'utf8')) as { version?: unknown })
      .version;
    return typeof v === 'string' ? v : '';
  } catch {
    return '';
  }
}

/**
 * Search text is "<name> <initials> <pinyin> <keyword> <initials> <pinyin> … <english> <code>"
 * (see searchTextFor); its first three words describe the name, the rest keywords and English.
 */
function searchRank(searchText: string, nameZh: string, nameEn: string, q: string): number {
  if (nameZh.startsWith(q) || nameEn.toLowerCase().startsWith(q)) return 0;
  const words = searchText.split(' ');
  if (words[1]?.startsWith(q)) return 1; // the name's pinyin initials
  if (words.slice(3).some((w) => w === q)) return 1; // a keyword, its initials or pinyin, exactly
  if (words.some((w) => w.startsWith(q))) return 2;
  return 3;
}

export type ItemSummary = {
  code: string;
  window: WindowCode;
  name: { zh: string; en: string };
  caseType: 'immediate' | 'promised';
  promisedDays: number;
  legalDays: number;
};

const parseJson = <T>(schema: z.ZodType<T>, text: string): T => schema.parse(JSON.parse(text));
/** The fields of a stored item its search text is made of. */
const searchableSchema = z.object({ code: z.string(), name: localizedSchema, keywords: z.array(z.string()) });

export function createCatalogService(db: Db) {
  const stmts = {
    windows: db.prepare('SELECT data FROM window_categories ORDER BY sort_order, code').pluck(),
    itemsByWindow: db
      .prepare(
        `SELECT code, window_code, name_zh, name_en, case_type, promised_days, legal_days FROM service_items
         WHERE window_code = ? ORDER BY name_zh`,
      )
      .raw(),
    allItems: db
      .prepare(
        'SELECT code, window_code, name_zh, name_en, case_type, promised_days, legal_days, search_text FROM service_items ORDER BY window_code, name_zh',
      )
      .raw(),
    item: db.prepare('SELECT data FROM service_items WHERE code = ?').pluck(),
    bundles: db.prepare('SELECT data FROM bundles ORDER BY code').pluck(),
    bundle: db.prepare('SELECT data FROM bundles WHERE code = ?').pluck(),
    counts: db.prepare('SELECT window_code, count(*) FROM service_items GROUP BY window_code').raw(),
    pendingSearchText: db.prepare('SELECT code, data FROM service_items WHERE search_text = ?'),
    setSearchText: db.prepare('UPDATE service_items SET search_text = ? WHERE code = ?'),
  };
  /** Computes the search text replaceCatalog left pending (see SEARCH_TEXT_PENDING). */
  const fillSearchText = (): void => {
    const pending = stmts.pendingSearchText.all(SEARCH_TEXT_PENDING) as { code: string; data: string }[];
    if (pending.length === 0) return;
    db.transaction(() => {
      for (const r of pending)
        stmts.setSearchText.run(searchTextFor(parseJson(searchableSchema, r.data)), r.code);
    })();
  };
  type Row = [string, WindowCode, string, string, 'immediate' | 'promised', number, number, string?];
  const toSummary = (r: Row): ItemSummary => ({
    code: r[0],
    window: r[1],
    name: { zh: r[2], en: r[3] },
    caseType: r[4],
    promisedDays: r[5],
    legalDays: r[6],
  });

  return {
    windows(): (WindowCategory & { itemCount: number })[] {
      const counts = new Map((stmts.counts.all() as [string, number][]).map(([w, n]) => [w, n]));
      return (stmts.windows.all() as string[]).map((d) => {
        const w = parseJson(windowCategorySchema, d);
        return { ...w, itemCount: counts.get(w.code) ?? 0 };
      });
    },
    items(window: WindowCode): ItemSummary[] {
      return (stmts.itemsByWindow.all(window) as Row[]).map(toSummary);
    },
    /**
     * Search by Chinese, English, pinyin or pinyin initials. Every whitespace-separated term must
     * match. Ranked: the name starts with the query, then a keyword or the name's pinyin initials
     * start with it, then a word starts with it, then any match — ties by window and name.
     */
    search(query: string, limit = 50): ItemSummary[] {
      const terms = query
        .toLowerCase()
        .split(/\s+/)
        .filter((t) => t.length > 0);
      if (terms.length === 0) return [];
      fillSearchText();
      const q = terms.join('');
      const ranked = (stmts.allItems.all() as Row[])
        .filter((r) => terms.every((t) => (r[7] ?? '').includes(t)))
        .map((r) => ({ r, rank: searchRank(r[7] ?? '', r[2], r[3], q) }));
      ranked.sort((a, b) => a.rank - b.rank);
      return ranked.slice(0, limit).map(({ r }) => toSummary(r));
    },
    item(code: string): ServiceItem | null {
      const d = stmts.item.get(code) as string | undefined;
      return d === undefined ? null : parseJson(serviceItemSchema, d);
    },
    bundles(): Bundle[] {
      return (stmts.bundles.all() as string[]).map((d) => parseJson(bundleSchema, d));
    },
    bundle(code: string): { bundle: Bundle; items: ServiceItem[] } | null {
      const d = stmts.bundle.get(code) as string | undefined;
      if (d === undefined) return null;
      const bundle = parseJson(bundleSchema, d);
      const items = bundle.items.map((c) => parseJson(serviceItemSchema, stmts.item.get(c) as string));
      return { bundle, items };
    },
  };
}
export type CatalogService = ReturnType<typeof createCatalogService>;
