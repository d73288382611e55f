/** The desk's catalog (catalog.ts): names and labels from the shipped seed, null for unknown codes. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { loadHallCatalog } from './catalog.js';

const PENSION = '610000-RSJ-GG-05001-000';

it('names items, windows, materials, fields and select options from the shipped catalog', () => {
  const r = loadHallCatalog();
  if (!r.ok) throw new Error(r.error);
  const c = r.value;
  expect(c.itemName(PENSION)?.zh).toBe('城乡居民基本养老保险参保登记');
  expect(c.item(PENSION)?.window).toBe('ylsb');
  expect(c.windowName('ylsb')?.zh).toMatch(/\S/);
  expect(c.materialName(PENSION, 'sfz')?.zh).toMatch(/身份证/);
  expect(c.field(PENSION, 'applicantName')?.label.zh).toMatch(/姓名/);
  const category = c.field(PENSION, 'insuredCategory');
  const first = category?.options?.[0];
  if (!first) throw new Error('the pension item has a select field');
  expect(c.optionLabel(PENSION, 'insuredCategory', first.value)).toEqual(first.label);
  // Unknown codes are null: the desk then shows the code itself.
  expect(c.itemName('no-such-item')).toBeNull();
  expect(c.materialName(PENSION, 'nope')).toBeNull();
  expect(c.optionLabel(PENSION, 'insuredCategory', 'nope')).toBeNull();
  expect(c.windowName('nope')).toBeNull();
});

it('reports a directory without a catalog as an error value', () => {
  const dir = mkdtempSync(join(tmpdir(), 'zizhu-hall-cat-'));
  try {
    const r = loadHallCatalog(dir);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toContain(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
