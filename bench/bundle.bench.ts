/** The renderer's size as shipped: every JS and CSS file of dist/renderer, raw and gzipped. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { rendererDir } from '../src/backend/index.js';
import type { BenchResult, BenchSuite } from './harness.js';

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : [p];
  });
}

export const bundleSuite: BenchSuite = {
  name: 'bundle',
  run(): Promise<BenchResult[]> {
    const all = files(rendererDir()).filter((f) => /\.(js|css|html)$/.test(f));
    if (all.length === 0) throw new Error(`no renderer build in ${rendererDir()}: run "npm run build" first`);
    let raw = 0;
    let gz = 0;
    for (const f of all) {
      const bytes = readFileSync(f);
      raw += bytes.length;
      gz += gzipSync(bytes, { level: 9 }).length;
    }
    return Promise.resolve([
      {
        name: 'renderer bundle (gzip)',
        value: gz / 1024,
        unit: 'KiB',
        note: `${all.length} files (js, css, html), gzip -9`,
      },
      { name: 'renderer bundle (raw)', value: raw / 1024, unit: 'KiB', note: 'uncompressed' },
    ]);
  },
};
