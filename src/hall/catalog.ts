/**
 * The service catalog as the staff desk reads it: item names, windows, case types, form field labels
 * (with select options by their label) and material names, so staff see 社会保险参保证明 and 申请人姓名
 * rather than codes. Read once at start from the shipped seed (resources/catalog, the same files the
 * kiosks are seeded with and `hall publish catalog` sends) or `dir`; a code the catalog does not know
 * (an item withdrawn since, a newer kiosk) is answered with null so the desk shows the code itself.
 */
import { readSeedCatalog } from '../shared/catalog-files.js';
import type { Catalog, FormField, Localized, ServiceItem } from '../shared/catalog.js';
import { findResource, type Loaded } from './resources.js';

export type HallCatalog = {
  version: string;
  item(code: string): ServiceItem | null;
  /** 办事项名称; null for an unknown code. */
  itemName(code: string): Localized | null;
  /** A material's name within an item; null when unknown. */
  materialName(itemCode: string, materialCode: string): Localized | null;
  /** A form field's definition within an item; null when unknown. */
  field(itemCode: string, key: string): FormField | null;
  /** A select field's value shown by its label; null when the field or value is unknown. */
  optionLabel(itemCode: string, key: string, value: string): Localized | null;
  /** The window's name (综合窗口 …); null when unknown. */
  windowName(code: string): Localized | null;
  /** The codes of the items served at a window (the case list's window filter). */
  itemsOfWindow(code: string): string[];
  /** Every window and item, for the desk's filters. */
  choices(): {
    windows: { code: string; name: Localized }[];
    items: { code: string; name: Localized; window: string }[];
  };
};

export function hallCatalogFrom(catalog: Catalog): HallCatalog {
  const items = new Map(catalog.items.map((i) => [i.code, i]));
  const windows = new Map(catalog.windows.map((w) => [w.code as string, w.name]));
  const item = (code: string): ServiceItem | null => items.get(code) ?? null;
  const field = (itemCode: string, key: string): FormField | null =>
    item(itemCode)?.form.find((f) => f.key === key) ?? null;
  return {
    version: catalog.version,
    item,
    itemName: (code) => item(code)?.name ?? null,
    materialName: (itemCode, materialCode) =>
      item(itemCode)?.materials.find((m) => m.code === materialCode)?.name ?? null,
    field,
    optionLabel: (itemCode, key, value) =>
      field(itemCode, key)?.options?.find((o) => o.value === value)?.label ?? null,
    windowName: (code) => windows.get(code) ?? null,
    itemsOfWindow: (code) => catalog.items.filter((i) => i.window === code).map((i) => i.code),
    choices: () => ({
      windows: catalog.windows.map((w) => ({ code: w.code, name: w.name })),
      items: catalog.items.map((i) => ({ code: i.code, name: i.name, window: i.window })),
    }),
  };
}

/** The catalog in `dir`, or the shipped resources/catalog. */
export function loadHallCatalog(dir?: string): Loaded<HallCatalog> {
  const where = dir ?? findResource('catalog');
  if (where === null) return { ok: false, error: 'resources/catalog not found' };
  const r = readSeedCatalog(where);
  return r.ok ? { ok: true, value: hallCatalogFrom(r.catalog) } : { ok: false, error: r.error };
}
