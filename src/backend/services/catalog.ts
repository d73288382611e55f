/**
 * Service catalog: loads the seed from resources/catalog into SQLite on first start (validated with
 * zod) and answers the read-only queries of the catalog browser and search.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type * as PinyinPro from 'pinyin-pro';
import type { z } from 'zod';
import {
  bundleSchema,
  serviceItemSchema,
  windowCategorySchema,
  type Bundle,
  type Catalog,
  type ServiceItem,
  type WindowCategory,
  type WindowCode,
} from '../../shared/index.js';
import {
  createCatalogStore,
  readCatalogMeta,
  writeCatalog,
  type CatalogMetaRow,
  type ItemSummaryRow,
} from '../store/catalog-store.js';
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

import { readSeedCatalog, type CatalogLoadResult } from '../../shared/catalog-files.js';

export { readSeedCatalog, type CatalogLoadResult };

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
  db.transaction(() =>
    writeCatalog(db, {
      version: catalog.version,
      source,
      at: now.toISOString(),
      windows: catalog.windows.map((w) => ({
        code: w.code,
        zh: w.name.zh,
        en: w.name.en,
        sort: w.sortOrder,
        data: JSON.stringify(w),
      })),
      items: catalog.items.map((item) => ({
        code: item.code,
        window: item.window,
        zh: item.name.zh,
        en: item.name.en,
        caseType: item.caseType,
        legal: item.legalDays,
        promised: item.promisedDays,
        search: SEARCH_TEXT_PENDING,
        data: JSON.stringify(item),
        materials: item.materials.map((m) => ({
          code: m.code,
          zh: m.name.zh,
          required: m.required,
          source: m.source,
          originals: m.originals,
          copies: m.copies,
        })),
      })),
      bundles: catalog.bundles.map((b) => ({
        code: b.code,
        window: b.window,
        zh: b.name.zh,
        en: b.name.en,
        data: JSON.stringify(b),
        items: b.items,
      })),
    }),
  ).immediate();
  catalogGeneration++;
}

/**
 * Bumped by every replacement in this process: with the catalog's version and load time it tells
 * the catalog services that their parsed documents are stale (two loads of one version within a
 * millisecond included).
 */
let catalogGeneration = 0;

export type CatalogMeta = CatalogMetaRow;

export function catalogMeta(db: Db): CatalogMeta | null {
  return readCatalogMeta(db);
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

/**
 * The catalog's read-only queries. Items, bundles and windows are validated with zod once per
 * catalog version (a plan, a submit and every receipt read them; a parse costs about half a
 * millisecond) and shared afterwards — callers must not change what they get.
 */
export function createCatalogService(db: Db) {
  const store = createCatalogStore(db);
  /** Computes the search text replaceCatalog left pending (see SEARCH_TEXT_PENDING). */
  const fillSearchText = (): void => {
    const pending = store.itemsWithSearchText(SEARCH_TEXT_PENDING);
    if (pending.length === 0) return;
    db.transaction(() => {
      for (const r of pending)
        store.setSearchText(r.code, searchTextFor(parseJson(serviceItemSchema, r.data)));
    })();
  };
  const toSummary = (r: ItemSummaryRow): ItemSummary => ({
    code: r[0],
    // The column holds what the validated item said.
    window: r[1] as WindowCode,
    name: { zh: r[2], en: r[3] },
    caseType: r[4],
    promisedDays: r[5],
    legalDays: r[6],
  });

  let parsedFor: string | null = null;
  let items = new Map<string, ServiceItem | null>();
  let bundles = new Map<string, Bundle | null>();
  let windows: WindowCategory[] | null = null;
  let allBundles: Bundle[] | null = null;
  /** Drops what was parsed when another catalog was loaded since; returns the catalog's stamp. */
  function current(): string {
    const key = `${catalogGeneration}|${store.metaKey() ?? ''}`;
    if (key === parsedFor) return key;
    parsedFor = key;
    items = new Map();
    bundles = new Map();
    windows = null;
    allBundles = null;
    return key;
  }
  function item(code: string): ServiceItem | null {
    current();
    const had = items.get(code);
    if (had !== undefined) return had;
    const d = store.itemDoc(code);
    const parsed = d === undefined ? null : parseJson(serviceItemSchema, d);
    items.set(code, parsed);
    return parsed;
  }
  function bundle(code: string): Bundle | null {
    current();
    const had = bundles.get(code);
    if (had !== undefined) return had;
    const d = store.bundleDoc(code);
    const parsed = d === undefined ? null : parseJson(bundleSchema, d);
    bundles.set(code, parsed);
    return parsed;
  }

  return {
    /** Changes whenever another catalog is loaded: what was read under one stamp may differ under the next. */
    stamp: (): string => current(),
    windows(): (WindowCategory & { itemCount: number })[] {
      current();
      windows ??= store.windowDocs().map((d) => parseJson(windowCategorySchema, d));
      const counts = new Map(store.itemCounts());
      return windows.map((w) => ({ ...w, itemCount: counts.get(w.code) ?? 0 }));
    },
    items(window: WindowCode): ItemSummary[] {
      return store.itemsOfWindow(window).map(toSummary);
    },
    /**
     * Search by Chinese, English, pinyin or pinyin initials. Every whitespace-separated term must
     * match, in the item or in its window's name. Ranked: the name starts with the query, then a keyword or the name's pinyin initials
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
      // An item is also found by its window's name (不动产 finds every item of 不动产登记), ranked
      // after the items found by their own name or keywords.
      const windowText = new Map(
        this.windows().map((w) => [
          w.code as string,
          searchTextFor({ name: w.name, keywords: [], code: w.code }),
        ]),
      );
      const ranked = store
        .allItems()
        .map((r) => ({ r, own: r[7] ?? '', window: windowText.get(r[1]) ?? '' }))
        .filter(({ own, window }) => terms.every((t) => own.includes(t) || window.includes(t)))
        .map(({ r, own }) => ({
          r,
          rank: terms.every((t) => own.includes(t)) ? searchRank(own, r[2], r[3], q) : 4,
        }));
      ranked.sort((a, b) => a.rank - b.rank);
      return ranked.slice(0, limit).map(({ r }) => toSummary(r));
    },
    item,
    bundles(): Bundle[] {
      current();
      allBundles ??= store.bundleDocs().map((d) => parseJson(bundleSchema, d));
      return allBundles;
    },
    bundle(code: string): { bundle: Bundle; items: ServiceItem[] } | null {
      const b = bundle(code);
      if (!b) return null;
      const parsed = b.items.map((c) => {
        const i = item(c);
        if (!i) throw new Error(`bundle ${code} lists ${c}, which is not in the catalog`);
        return i;
      });
      return { bundle: b, items: parsed };
    },
  };
}
export type CatalogService = ReturnType<typeof createCatalogService>;
