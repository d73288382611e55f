/**
 * The renderer's size as shipped, gzipped: what the first (home) screen loads, and everything.
 * The first screen is index.html, the files it names (the entry script, its modulepreloads and the
 * stylesheet) and, from Vite's manifest, every chunk the entry imports statically (with their CSS);
 * chunks reached only by import() load later, on demand. Total: every JS, CSS and HTML file.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import { rendererDir } from '../src/backend/index.js';
import type { BenchResult, BenchSuite } from './harness.js';

type ManifestChunk = { file: string; isEntry?: boolean; imports?: string[]; css?: string[] };
type Manifest = Record<string, ManifestChunk>;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : [p];
  });
}

/** Paths (relative to dist/renderer) of what the home screen loads before it can show. */
export function firstScreenFiles(html: string, manifest: Manifest): string[] {
  const out = new Set<string>(['index.html']);
  for (const m of html.matchAll(/(?:src|href)="\.\/([^"]+\.(?:js|css))"/g)) if (m[1]) out.add(m[1]);
  const seen = new Set<string>();
  const walk = (key: string) => {
    if (seen.has(key)) return;
    seen.add(key);
    const chunk = manifest[key];
    if (!chunk) throw new Error(`manifest has no ${key}`);
    out.add(chunk.file);
    for (const css of chunk.css ?? []) out.add(css);
    for (const imported of chunk.imports ?? []) walk(imported);
  };
  const entries = Object.entries(manifest).filter(([, c]) => c.isEntry);
  if (entries.length === 0) throw new Error('manifest names no entry');
  for (const [key] of entries) walk(key);
  return [...out].sort();
}

function sizes(dir: string, paths: readonly string[]): { raw: number; gz: number } {
  let raw = 0;
  let gz = 0;
  for (const p of paths) {
    const bytes = readFileSync(join(dir, p));
    raw += bytes.length;
    gz += gzipSync(bytes, { level: 9 }).length;
  }
  return { raw, gz };
}

export const bundleSuite: BenchSuite = {
  name: 'bundle',
  run(): Promise<BenchResult[]> {
    const dir = rendererDir();
    const manifestPath = join(dir, '.vite', 'manifest.json');
    if (!existsSync(manifestPath))
      throw new Error(`no renderer build (with its manifest) in ${dir}: run "npm run build" first`);
    const all = files(dir)
      .map((f) => relative(dir, f))
      .filter((f) => /\.(js|css|html)$/.test(f));
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest;
    const first = firstScreenFiles(readFileSync(join(dir, 'index.html'), 'utf8'), manifest);
    const firstSize = sizes(dir, first);
    const total = sizes(dir, all);
    const js = (list: readonly string[]) => list.filter((f) => f.endsWith('.js')).length;
    return Promise.resolve([
      {
        name: 'renderer first screen (gzip)',
        value: firstSize.gz / 1024,
        unit: 'KiB',
        note: `${first.length} files (index.html, ${js(first)} js, css) before home shows, gzip -9; target ≤ 150`,
      },
      { name: 'renderer first screen (raw)', value: firstSize.raw / 1024, unit: 'KiB', note: 'uncompressed' },
      {
        name: 'renderer total (gzip)',
        value: total.gz / 1024,
        unit: 'KiB',
        note: `${all.length} files (${js(all)} js, css, html), gzip -9`,
      },
      { name: 'renderer total (raw)', value: total.raw / 1024, unit: 'KiB', note: 'uncompressed' },
    ]);
  },
};
