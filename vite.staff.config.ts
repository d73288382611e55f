/**
 * Build of the hall's staff desk (src/hall/staff-web → dist/staff): `npm run build:staff`, part of
 * `npm run build` and run first by `npm run hall`. The hall serves the three files at fixed URLs
 * (/staff, /staff/app.js, /staff/app.css; src/hall/staff-page.ts) under a CSP allowing only its own
 * script and style, so the output is one classic script (an IIFE, loaded with `defer`), one style
 * sheet and the page's HTML copied as written — no hashed names, no inline code. The desk is a React
 * app (src/hall/staff-web/main.tsx); React's development checks are compiled out.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

const pageRoot = fileURLToPath(new URL('./src/hall/staff-web', import.meta.url));

/** index.html links /staff/app.js and /staff/app.css by name: copied, not rewritten. */
const pageHtml = (): Plugin => ({
  name: 'staff-page-html',
  generateBundle() {
    this.emitFile({
      type: 'asset',
      fileName: 'index.html',
      source: readFileSync(join(pageRoot, 'index.html'), 'utf8'),
    });
  },
});

export default defineConfig({
  root: pageRoot,
  publicDir: false,
  plugins: [pageHtml()],
  // JSX for React's production runtime whatever NODE_ENV says (vitest sets 'test' when the e2e
  // tests build the page, which would otherwise compile jsxDEV calls the production React lacks).
  oxc: { jsx: { runtime: 'automatic', development: false } },
  // Library mode leaves process.env.NODE_ENV alone; React reads it to choose its production build.
  define: { 'process.env.NODE_ENV': JSON.stringify('production') },
  logLevel: 'warn',
  build: {
    outDir: fileURLToPath(new URL('./dist/staff', import.meta.url)),
    emptyOutDir: true,
    // Staff use a current desktop browser.
    target: 'es2022',
    sourcemap: false,
    reportCompressedSize: false,
    lib: {
      entry: join(pageRoot, 'main.tsx'),
      formats: ['iife'],
      name: 'zizhuStaffDesk',
      fileName: () => 'app.js',
      cssFileName: 'app',
    },
  },
});
