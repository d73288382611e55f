/**
 * Build of the kiosk screen (src/renderer → dist/renderer). The backend serves dist/renderer from
 * 127.0.0.1 under a strict CSP (script-src 'self', no external hosts), so everything is bundled and
 * self-hosted: no CDN, no web fonts (the kiosk uses the system's Noto Sans CJK), relative base so the
 * same build also loads from a file path inside the packaged app.
 * Unit tests use vitest.config.ts, end-to-end tests vitest.e2e.config.ts.
 */
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const rendererRoot = fileURLToPath(new URL('./src/renderer', import.meta.url));
const backendPort = process.env.KIOSK_PORT ?? '8787';

export default defineConfig({
  root: rendererRoot,
  base: './',
  plugins: [react()],
  publicDir: false,
  build: {
    outDir: fileURLToPath(new URL('./dist/renderer', import.meta.url)),
    emptyOutDir: true,
    target: 'chrome120',
    sourcemap: false,
    // The home screen's chunk holds the shell; every other screen is a chunk loaded on demand
    // (src/renderer/screens/lazy-screens.ts) and prefetched once home is idle. The CSS stays one
    // file: the screens' stylesheets are written against styles.css coming after them in the
    // cascade, which per-chunk CSS (loaded later) would turn round.
    cssCodeSplit: false,
    // bench/bundle.bench.ts reads what the first screen loads from the manifest.
    manifest: true,
    assetsInlineLimit: 0,
    reportCompressedSize: false,
  },
  server: {
    // `npm run dev`: the API is the real backend (npm start, port 8787). Open the backend's own page
    // once first so the browser holds its session cookie (cookies are per host, not per port); the
    // proxy drops the Origin header the backend would otherwise refuse as cross-origin.
    host: '127.0.0.1',
    proxy: {
      '/api': {
        target: `http://127.0.0.1:${backendPort}`,
        changeOrigin: true,
        configure: (proxy) => {
          proxy.on('proxyReq', (req) => req.removeHeader('origin'));
        },
      },
    },
  },
});
