import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));

/** Every module a file pulls in at run time (`import type` and `export type` are erased). */
function runtimeImports(file: string): string[] {
  const source = readFileSync(file, 'utf8');
  const specs: string[] = [];
  const re = /^(?:import|export)\s+(?!type\b)(?:[^'";]*?\bfrom\s+)?['"]([^'"]+)['"]/gm;
  for (const m of source.matchAll(re)) if (m[1] !== undefined) specs.push(m[1]);
  return specs;
}

function runtimeGraph(entry: string): Set<string> {
  const seen = new Set<string>();
  const walk = (spec: string, from: string) => {
    if (!spec.startsWith('.')) {
      seen.add(spec);
      return;
    }
    const file = join(dirname(from), spec.replace(/\.js$/, '.ts'));
    if (seen.has(file)) return;
    seen.add(file);
    for (const s of runtimeImports(file)) walk(s, file);
  };
  walk(`./${entry}`, join(here, 'x.ts'));
  return seen;
}

describe('the renderer’s side of src/shared', () => {
  it.each(['browser.js', 'evaluation.js'])('%s pulls in no zod and no schema module at run time', (entry) => {
    const graph = [...runtimeGraph(entry)];
    expect(graph).toContain(join(here, entry.replace(/\.js$/, '.ts')));
    expect(graph.filter((m) => m === 'zod' || m.startsWith('zod/'))).toEqual([]);
    expect(graph.filter((m) => /-schemas\.ts$|\/wire\//.test(m))).toEqual([]);
  });

  it('follows re-exports and sees a value import of zod (the check can fail)', () => {
    expect(runtimeGraph('browser.js')).toContain(join(here, 'case-status.ts'));
    expect(runtimeImports(join(here, 'catalog-schemas.ts'))).toContain('zod');
    expect(runtimeImports(join(here, 'catalog.ts'))).not.toContain('zod');
  });
});
