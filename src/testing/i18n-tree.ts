/** For the i18n resource tests (kiosk and staff desk): copy trees flattened, and their placeholders. */
export type CopyTree = { [key: string]: string | CopyTree };

/** Every leaf of a copy tree by its dotted key (`case.detail.title` → text). */
export function copyLeaves(tree: CopyTree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') out.set(path, value);
    else for (const [k, v] of copyLeaves(value, path)) out.set(k, v);
  }
  return out;
}

/** The i18next `{{name}}` placeholders of one text, sorted. */
export const placeholders = (s: string): string[] =>
  [...s.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1] ?? '').sort();
