import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { catalogSchema, WINDOW_CODES } from '../../shared/index.js';
import { resourcesDir } from '../paths.js';
import { openDatabase, type Db } from '../store/db.js';
import {
  catalogMeta,
  createCatalogService,
  ensureCatalog,
  readSeedCatalog,
  replaceCatalog,
  searchTextFor,
} from './catalog.js';
import { fixtureCatalog, fixtureItem } from './catalog-fixture.js';

let db: Db;
let dir: string;
const now = new Date('2026-11-26T08:00:00Z');
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'zizhu-cat-'));
  const r = openDatabase(join(dir, 'k.db'));
  if (!r.ok) throw new Error(r.message);
  db = r.db;
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

function writeSeed(target: string, catalog = fixtureCatalog()): void {
  mkdirSync(join(target, 'items'), { recursive: true });
  writeFileSync(join(target, 'manifest.json'), JSON.stringify({ version: catalog.version }));
  writeFileSync(join(target, 'windows.json'), JSON.stringify(catalog.windows));
  for (const w of WINDOW_CODES) {
    writeFileSync(
      join(target, 'items', `${w}.json`),
      JSON.stringify(catalog.items.filter((i) => i.window === w)),
    );
  }
  writeFileSync(join(target, 'bundles.json'), JSON.stringify(catalog.bundles));
}

describe('catalog schema', () => {
  it('rejects a promised time longer than half the legal time', () => {
    const c = fixtureCatalog();
    c.items[0] = fixtureItem({ ...c.items[0]!, legalDays: 10, promisedDays: 6 });
    const r = catalogSchema.safeParse(c);
    expect(r.success).toBe(false);
    expect(JSON.stringify(r.error?.issues)).toMatch(/half the legal time/);
  });
  it('rejects more than four steps', () => {
    const c = fixtureCatalog();
    const step = c.items[0]!.steps[0]!;
    c.items[0] = { ...c.items[0]!, steps: [step, step, step, step, step] };
    expect(JSON.stringify(catalogSchema.safeParse(c).error?.issues)).toMatch(/steps/);
  });
  it('rejects bundles naming unknown items and duplicate item codes', () => {
    const c = fixtureCatalog();
    c.bundles[0] = { ...c.bundles[0]!, items: ['SB-001', 'NOPE-1'] };
    c.items.push(c.items[0]!);
    const issues = JSON.stringify(catalogSchema.safeParse(c).error?.issues);
    expect(issues).toMatch(/unknown item NOPE-1/);
    expect(issues).toMatch(/duplicate code SB-001/);
  });
});

describe('the shipped seed (resources/catalog)', () => {
  const seed = readSeedCatalog(join(resourcesDir(), 'catalog'));
  it('is valid', () => {
    expect(seed.ok ? 'ok' : seed.error).toBe('ok');
  });
  it('has at least 30 items across all five windows and at least 3 bundles', () => {
    if (!seed.ok) throw new Error(seed.error);
    const { items, bundles, windows } = seed.catalog;
    expect(items.length).toBeGreaterThanOrEqual(30);
    expect(windows.map((w) => w.code).sort()).toEqual([...WINDOW_CODES].sort());
    for (const w of WINDOW_CODES)
      expect(items.filter((i) => i.window === w).length).toBeGreaterThanOrEqual(5);
    expect(bundles.length).toBeGreaterThanOrEqual(3);
    expect(items.some((i) => i.caseType === 'immediate')).toBe(true);
    expect(items.some((i) => i.materials.some((m) => m.source === 'shared-licence'))).toBe(true);
    expect(new Set(items.map((i) => i.name.zh)).size).toBe(items.length);
  });
});

describe('ensureCatalog', () => {
  it('loads the seed on first start and not again on the next', () => {
    writeSeed(join(dir, 'seed'));
    expect(ensureCatalog(db, join(dir, 'seed'), now)).toEqual({ ok: true, loaded: true, version: 'test-1' });
    expect(ensureCatalog(db, join(dir, 'seed'), now)).toEqual({ ok: true, loaded: false, version: 'test-1' });
    expect(catalogMeta(db)).toEqual({ version: 'test-1', source: 'seed', loadedAt: now.toISOString() });
    expect(db.prepare('SELECT count(*) FROM service_items').pluck().get()).toBe(3);
    expect(db.prepare('SELECT count(*) FROM service_materials').pluck().get()).toBe(3);
  });

  it('loads a new seed version after an upgrade but never overwrites a catalog from the hall', () => {
    writeSeed(join(dir, 'seed'));
    ensureCatalog(db, join(dir, 'seed'), now);
    const next = fixtureCatalog('test-2');
    next.items.pop();
    writeSeed(join(dir, 'seed'), next);
    expect(ensureCatalog(db, join(dir, 'seed'), now)).toMatchObject({ loaded: true, version: 'test-2' });
    expect(db.prepare('SELECT count(*) FROM service_items').pluck().get()).toBe(2);
    replaceCatalog(db, fixtureCatalog('hall-7'), 'hall', now);
    writeSeed(join(dir, 'seed'), fixtureCatalog('test-3'));
    expect(ensureCatalog(db, join(dir, 'seed'), now)).toMatchObject({ loaded: false, version: 'hall-7' });
  });

  it('refuses a broken seed with a message naming the field, and leaves the database empty', () => {
    const bad = fixtureCatalog();
    bad.items[0] = { ...bad.items[0]!, consultPhone: 'call us' };
    writeSeed(join(dir, 'seed'), bad);
    const r = ensureCatalog(db, join(dir, 'seed'), now);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(/consultPhone/);
    expect(db.prepare('SELECT count(*) FROM service_items').pluck().get()).toBe(0);
  });
});

describe('catalog service', () => {
  beforeEach(() => replaceCatalog(db, fixtureCatalog(), 'seed', now));

  it('lists windows in order with item counts, and items per window', () => {
    const svc = createCatalogService(db);
    expect(svc.windows().map((w) => [w.code, w.itemCount])).toEqual([
      ['zzlb', 1],
      ['ylsb', 2],
    ]);
    expect(
      svc
        .items('ylsb')
        .map((i) => i.code)
        .sort(),
    ).toEqual(['SB-001', 'SB-002']);
    expect(svc.items('gcbj')).toEqual([]);
  });

  it('finds items by Chinese, English, full pinyin and pinyin initials', () => {
    const svc = createCatalogService(db);
    expect(
      svc
        .search('社保')
        .map((i) => i.code)
        .sort(),
    ).toEqual(['SB-001', 'SB-002']);
    expect(svc.search('sb').map((i) => i.code)).toContain('SB-001');
    expect(svc.search('SHBZK').map((i) => i.code)).toEqual(['SB-001']);
    expect(svc.search('tuixiu').map((i) => i.code)).toEqual(['SB-002']);
    expect(svc.search('retirement').map((i) => i.code)).toEqual(['SB-002']);
    expect(svc.search('个体 登记').map((i) => i.code)).toEqual(['ZZ-001']);
    expect(svc.search('不存在的事项')).toEqual([]);
  });

  it("finds every item of a window by the window's name, after the items that match themselves", () => {
    const svc = createCatalogService(db);
    for (const w of svc.windows()) {
      const all = svc
        .items(w.code)
        .map((i) => i.code)
        .sort();
      expect(all.length, w.code).toBeGreaterThan(0);
      const found = svc.search(w.name.zh).map((i) => i.code);
      expect([...found].sort(), w.name.zh).toEqual(expect.arrayContaining(all));
      expect(
        svc.search(w.name.en.toLowerCase()).map((i) => i.code),
        w.name.en,
      ).toEqual(expect.arrayContaining(all));
    }
    expect(svc.search('   ')).toEqual([]);
  });

  it('returns whole items and bundles with their member items, null when unknown', () => {
    const svc = createCatalogService(db);
    expect(svc.item('SB-001')?.materials[0]?.source).toBe('shared-licence');
    expect(svc.item('NOPE')).toBeNull();
    const b = svc.bundle('retire');
    expect(b?.items.map((i) => i.code)).toEqual(['SB-002', 'SB-001']);
    expect(svc.bundle('nope')).toBeNull();
  });

  it('parses an item once per catalog, and reads it again after another catalog is loaded', () => {
    const svc = createCatalogService(db);
    const first = svc.item('SB-001');
    expect(svc.item('SB-001')).toBe(first);
    const stamp = svc.stamp();
    // The same version label loaded again with a changed name (and at the same instant): not stale.
    const next = fixtureCatalog();
    next.items = next.items.map((i) =>
      i.code === 'SB-001' ? { ...i, name: { zh: '社保卡新名称', en: 'Renamed' } } : i,
    );
    replaceCatalog(db, next, 'hall', now);
    expect(svc.stamp()).not.toBe(stamp);
    expect(svc.item('SB-001')?.name.zh).toBe('社保卡新名称');
    expect(svc.bundle('retire')?.items.find((i) => i.code === 'SB-001')?.name.zh).toBe('社保卡新名称');
  });

  it('ranks keyword and initial matches of the shipped seed first: sb → 社保 items', () => {
    const seed = readSeedCatalog(join(resourcesDir(), 'catalog'));
    if (!seed.ok) throw new Error(seed.error);
    replaceCatalog(db, seed.catalog, 'seed', now);
    const top = createCatalogService(db).search('sb').slice(0, 3);
    expect(top).toHaveLength(3);
    for (const hit of top) {
      const item = seed.catalog.items.find((i) => i.code === hit.code)!;
      expect([item.name.zh, ...item.keywords].join(' ')).toMatch(/社保|社会保[险障]/);
    }
  });

  it('finds all eight items of the shipped 不动产登记 window by 不动产 (issue 12 found three)', () => {
    const seed = readSeedCatalog(join(resourcesDir(), 'catalog'));
    if (!seed.ok) throw new Error(seed.error);
    replaceCatalog(db, seed.catalog, 'seed', now);
    const bdcdj = seed.catalog.items.filter((i) => i.window === 'bdcdj').map((i) => i.code);
    expect(bdcdj).toHaveLength(8);
    const found = createCatalogService(db)
      .search('不动产')
      .map((i) => i.code);
    expect(found).toEqual(expect.arrayContaining(bdcdj));
  });

  it('leaves the pinyin search text to the first search, which computes it once', () => {
    const pending = () =>
      db.prepare("SELECT count(*) FROM service_items WHERE search_text = ''").pluck().get() as number;
    expect(pending()).toBe(3); // written by replaceCatalog without running pinyin-pro
    const svc = createCatalogService(db);
    expect(svc.search('').length).toBe(0);
    expect(pending()).toBe(3); // an empty query searches nothing
    expect(svc.search('sb').length).toBeGreaterThan(0);
    expect(pending()).toBe(0);
    const item = fixtureCatalog().items[0]!;
    expect(db.prepare('SELECT search_text FROM service_items WHERE code = ?').pluck().get(item.code)).toBe(
      searchTextFor(item),
    );
  });

  it('derives pinyin search text', () => {
    expect(searchTextFor({ name: { zh: '社会保障卡', en: 'Card' }, keywords: [], code: 'X1' })).toContain(
      'shbzk',
    );
  });
});
