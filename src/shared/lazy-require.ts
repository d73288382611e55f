/**
 * A CommonJS package loaded on first use instead of at import (Node side only: the backend and the
 * devices; the renderer never imports this). For packages whose callers are synchronous — QR
 * matrices, SVG rasterising, PNG encoding, XML parsing, YAML, pinyin — and which cost milliseconds
 * to tens of milliseconds to load although the kiosk's first screen needs none of them
 * (docs/benchmarks.md, "Start-up"). Asynchronous callers use `await import()` at the place of use.
 */
import { createRequire } from 'node:module';

const requireHere = createRequire(import.meta.url);

/**
 * `const qrcode = lazyRequire<typeof QRCodeModule>('qrcode')` (with `import type * as QRCodeModule
 * from 'qrcode'`); the first `qrcode()` loads the package, later calls return it.
 */
export function lazyRequire<T>(specifier: string): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= requireHere(specifier) as T);
}
