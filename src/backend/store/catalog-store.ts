/**
 * The service catalog's tables: `window_categories`, `service_items` (+ `service_materials`),
 * `bundles` (+ `bundle_items`) and `catalog_meta` (which version is in force and where it came
 * from). Items, windows and bundles are kept as their validated JSON documents (`data`) beside the
 * columns the browser and search read.
 */
import type { Db } from './db.js';

export type CatalogMetaRow = { version: string; source: 'seed' | 'hall'; loadedAt: string };

/** An item summary row: code, window, zh, en, case type, promised days, legal days, search text. */
export type ItemSummaryRow = [
  string,
  string,
  string,
  string,
  'immediate' | 'promised',
  number,
  number,
  string?,
];

export function createCatalogStore(db: Db) {
  const q = {
    metaKey: db.prepare("SELECT version || '|' || loaded_at FROM catalog_meta WHERE id = 1").pluck(),
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
    withSearchText: db.prepare('SELECT code, data FROM service_items WHERE search_text = ?'),
    setSearchText: db.prepare('UPDATE service_items SET search_text = ? WHERE code = ?'),
  };

  return {
    /** Changes whenever a catalog is loaded (version and load time). */
    metaKey: (): string | null => (q.metaKey.get() as string | undefined) ?? null,
    windowDocs: (): string[] => q.windows.all() as string[],
    itemCounts: (): [string, number][] => q.counts.all() as [string, number][],
    itemsOfWindow: (window: string): ItemSummaryRow[] => q.itemsByWindow.all(window) as ItemSummaryRow[],
    allItems: (): ItemSummaryRow[] => q.allItems.all() as ItemSummaryRow[],
    itemDoc: (code: string): string | undefined => q.item.get(code) as string | undefined,
    bundleDocs: (): string[] => q.bundles.all() as string[],
    bundleDoc: (code: string): string | undefined => q.bundle.get(code) as string | undefined,
    /** Items whose search text is this value (the pending marker: computed at the first search). */
    itemsWithSearchText: (text: string): { code: string; data: string }[] =>
      q.withSearchText.all(text) as { code: string; data: string }[],
    setSearchText: (code: string, text: string): void => {
      q.setSearchText.run(text, code);
    },
  };
}
export type CatalogStore = ReturnType<typeof createCatalogStore>;

export type CatalogRows = {
  version: string;
  source: 'seed' | 'hall';
  at: string;
  windows: { code: string; zh: string; en: string; sort: number; data: string }[];
  items: {
    code: string;
    window: string;
    zh: string;
    en: string;
    caseType: 'immediate' | 'promised';
    legal: number;
    promised: number;
    search: string;
    data: string;
    materials: {
      code: string;
      zh: string;
      required: boolean;
      source: string;
      originals: number;
      copies: number;
    }[];
  }[];
  bundles: { code: string; window: string; zh: string; en: string; data: string; items: string[] }[];
};

/**
 * Writes a whole catalog over the one in the tables: bundles and materials anew, windows and items
 * upserted, items no longer listed removed unless an application references them (those stay, as
 * their rows were). Call inside a transaction, so readers never see half a catalog.
 */
export function writeCatalog(db: Db, c: CatalogRows): void {
  db.exec('DELETE FROM bundle_items; DELETE FROM bundles; DELETE FROM service_materials;');
  const keep = new Set(c.items.map((i) => i.code));
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
  for (const w of c.windows) upWindow.run(w);
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
  for (const { materials, ...item } of c.items) {
    upItem.run({ ...item, version: c.version });
    materials.forEach((m, i) =>
      insMaterial.run(item.code, m.code, i, m.zh, m.required ? 1 : 0, m.source, m.originals, m.copies),
    );
  }
  const insBundle = db.prepare(
    'INSERT INTO bundles (code, window_code, name_zh, name_en, data) VALUES (?, ?, ?, ?, ?)',
  );
  const insBundleItem = db.prepare(
    'INSERT INTO bundle_items (bundle_code, item_code, position) VALUES (?, ?, ?)',
  );
  for (const b of c.bundles) {
    insBundle.run(b.code, b.window, b.zh, b.en, b.data);
    b.items.forEach((code, i) => insBundleItem.run(b.code, code, i));
  }
  db.prepare(
    `INSERT INTO catalog_meta (id, version, source, loaded_at) VALUES (1, ?, ?, ?)
     ON CONFLICT(id) DO UPDATE SET version = excluded.version, source = excluded.source, loaded_at = excluded.loaded_at`,
  ).run(c.version, c.source, c.at);
}

/** The catalog in force (null: none loaded yet). */
export function readCatalogMeta(db: Db): CatalogMetaRow | null {
  const row = db
    .prepare('SELECT version, source, loaded_at AS loadedAt FROM catalog_meta WHERE id = 1')
    .get() as CatalogMetaRow | undefined;
  return row ?? null;
}
