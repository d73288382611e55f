/**
 * `scanOnce` — the technician's "scan a page" (docs/architecture.md, "Command line"): open the configured
 * scanner, scan one page, normalise it to JPEG and write it durably to `out` (temp file → fsync → rename →
 * fsync dir).
 */
import { open, rename, unlink } from 'node:fs/promises';
import { dirname, join, basename } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import { checkBlank } from './blank-page.js';
import { sha256Hex } from './blob-store.js';
import { createScanner, type CreateScannerOptions } from './factory.js';
import { decodePage, DEFAULT_NORMALISE_OPTIONS, encodeJpeg } from './normalise.js';
import type { PageErrorKind } from './page-errors.js';
import type { ColorMode, ScanFaultKind, ScanSource } from './types.js';
import { err, ok, type Result } from '../result.js';

export type ScanOnceOptions = {
  uri: string;
  mode: 'production' | 'development';
  logger: Logger;
  /** Where the JPEG goes. */
  out: string;
  source?: ScanSource;
  colorMode?: ColorMode;
  resolution?: number;
  quality?: number;
  /** Driver tuning passed to createScanner (timeouts, SANE extra args). */
  drivers?: Pick<CreateScannerOptions, 'sane' | 'escl'>;
};

export type ScanOnceReport = {
  out: string;
  sha256: string;
  size: number;
  width: number;
  height: number;
  /** The page looks blank (nothing on the glass?). Written anyway: the technician decides. */
  blank: boolean;
  driver: string;
};

export type ScanOnceError = { kind: ScanFaultKind | PageErrorKind | 'config' | 'io'; message: string };

async function writeDurably(path: string, data: Buffer): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    const fh = await open(tmp, 'wx', 0o644);
    try {
      await fh.writeFile(data);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, path);
  } catch (e) {
    await unlink(tmp).catch(() => undefined);
    throw e;
  }
  if (process.platform !== 'win32') {
    const d = await open(dirname(path), 'r');
    try {
      await d.sync();
    } finally {
      await d.close();
    }
  }
}

export async function scanOnce(o: ScanOnceOptions): Promise<Result<ScanOnceReport, ScanOnceError>> {
  const handle = await createScanner({ uri: o.uri, mode: o.mode, logger: o.logger, ...o.drivers });
  if (!handle.ok) return err({ kind: 'config', message: handle.error });
  try {
    const { scanner } = handle.value;
    const r = await scanner.scan({
      source: o.source ?? 'flatbed',
      colorMode: o.colorMode ?? 'color',
      resolution: o.resolution ?? 300,
      maxPages: 1,
    });
    // A fault after the page arrived still yields the page.
    const page = r.ok ? r.pages[0] : r.pagesBeforeFault[0];
    if (!page) return err(r.ok ? { kind: 'device-error', message: 'the scanner returned no page' } : r.error);
    const decoded = await decodePage(page.data, {
      grayscale: o.colorMode === 'grayscale' || o.colorMode === 'black-and-white',
    });
    if (!decoded.ok) return err(decoded.error);
    const blank = checkBlank(decoded.value);
    const jpeg = await encodeJpeg(decoded.value, o.quality ?? DEFAULT_NORMALISE_OPTIONS.quality);
    try {
      await writeDurably(o.out, jpeg.data);
    } catch (e) {
      return err({
        kind: 'io',
        message: `cannot write ${o.out}: ${e instanceof Error ? e.message : String(e)}`,
      });
    }
    return ok({
      out: o.out,
      sha256: sha256Hex(jpeg.data),
      size: jpeg.data.length,
      width: jpeg.width,
      height: jpeg.height,
      blank: blank.blank,
      driver: scanner.driver,
    });
  } finally {
    await handle.value.close();
  }
}
