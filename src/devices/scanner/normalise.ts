/**
 * Normalises any page image — PNG/PNM/TIFF/JPEG from scanners, JPEG/PNG from the document camera —
 * to a baseline JPEG: EXIF orientation applied, alpha flattened onto white, optional greyscale, longest
 * side capped. sharp drops all metadata on output, so camera EXIF (GPS, device serials) never leaves
 * the kiosk. Decoding and encoding are separate steps so the pipeline can re-encode at a lower
 * quality without decoding again (page size limit) and check blankness on the same pixels.
 */
import type { Sharp } from 'sharp';
import { decodePnm } from './pnm.js';
import { sniffImage } from './image-format.js';
import type { PageError } from './page-errors.js';
import { err, ok, type Result } from '../result.js';

export type NormaliseOptions = {
  /** JPEG quality 1..100. */
  quality: number;
  grayscale: boolean;
  /** Longest side in pixels after normalisation (3508 = A4 at 300 dpi). Smaller images are not enlarged. */
  maxDimension: number;
  /** Refuse inputs bigger than this many bytes before decoding. */
  maxInputBytes: number;
  /** Refuse inputs with more pixels than this (decompression bombs). */
  maxInputPixels: number;
};

export const DEFAULT_NORMALISE_OPTIONS: NormaliseOptions = {
  quality: 85,
  grayscale: false,
  maxDimension: 3508,
  maxInputBytes: 64 * 1024 * 1024,
  maxInputPixels: 120_000_000,
};

/** 8-bit pixels after orientation, greyscale and resizing. */
export type DecodedPage = { data: Buffer; width: number; height: number; channels: 1 | 3 };

export type NormalisedPage = {
  data: Buffer;
  mime: 'image/jpeg';
  width: number;
  height: number;
  quality: number;
};

function describe(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export async function decodePage(
  input: Buffer,
  options: Partial<NormaliseOptions> = {},
): Promise<Result<DecodedPage, PageError>> {
  const o = { ...DEFAULT_NORMALISE_OPTIONS, ...options };
  if (input.length > o.maxInputBytes) {
    return err({
      kind: 'input-too-large',
      message: `the image is ${input.length} bytes, more than the ${o.maxInputBytes} accepted`,
      bytes: input.length,
      limit: o.maxInputBytes,
    });
  }
  const mime = sniffImage(input);
  if (mime === null)
    return err({ kind: 'unsupported-format', message: 'not a PNG, JPEG, TIFF or PNM image' });

  // sharp (libvips) loads on the first page, not when the kiosk starts.
  const { default: sharp } = await import('sharp');
  let img: Sharp;
  let grey: boolean;
  if (mime === 'image/x-portable-anymap') {
    const pnm = decodePnm(input);
    if (!pnm.ok) return err({ kind: 'corrupt-image', message: pnm.error });
    const { width, height, channels, data } = pnm.value;
    if (width * height > o.maxInputPixels) {
      return err({
        kind: 'input-too-large',
        message: `the image has ${width * height} pixels`,
        bytes: input.length,
        limit: o.maxInputBytes,
      });
    }
    img = sharp(data, { raw: { width, height, channels } });
    grey = channels === 1;
  } else {
    img = sharp(input, { limitInputPixels: o.maxInputPixels, failOn: 'error' });
    grey = false;
  }
  try {
    if (mime !== 'image/x-portable-anymap') {
      const meta = await img.metadata();
      grey = meta.channels === 1 || meta.channels === 2 || meta.space === 'b-w' || meta.space === 'grey16';
    }
    let p = img.rotate().flatten({ background: '#ffffff' });
    p = p.resize({ width: o.maxDimension, height: o.maxDimension, fit: 'inside', withoutEnlargement: true });
    // Grey sources stay one channel; everything else (CMYK camera JPEGs included) becomes sRGB.
    p = p.toColourspace(grey || o.grayscale ? 'b-w' : 'srgb');
    const { data, info } = await p.raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
    if (info.channels !== 1 && info.channels !== 3) {
      return err({ kind: 'corrupt-image', message: `unexpected ${info.channels} channels after decoding` });
    }
    return ok({ data, width: info.width, height: info.height, channels: info.channels });
  } catch (e) {
    const message = describe(e);
    if (/pixel limit/i.test(message)) {
      return err({
        kind: 'input-too-large',
        message: 'the image has too many pixels',
        bytes: input.length,
        limit: o.maxInputBytes,
      });
    }
    return err({ kind: 'corrupt-image', message: `the image could not be decoded: ${message}` });
  }
}

export async function encodeJpeg(page: DecodedPage, quality: number): Promise<NormalisedPage> {
  const { default: sharp } = await import('sharp');
  const data = await sharp(page.data, {
    raw: { width: page.width, height: page.height, channels: page.channels },
  })
    // sharp treats one-channel raw input as sRGB unless told: keep grey pages one-channel JPEGs.
    .toColourspace(page.channels === 1 ? 'b-w' : 'srgb')
    .jpeg({ quality, chromaSubsampling: '4:2:0' })
    .toBuffer();
  return { data, mime: 'image/jpeg', width: page.width, height: page.height, quality };
}

export async function normalisePage(
  input: Buffer,
  options: Partial<NormaliseOptions> = {},
): Promise<Result<NormalisedPage, PageError>> {
  const o = { ...DEFAULT_NORMALISE_OPTIONS, ...options };
  const decoded = await decodePage(input, o);
  if (!decoded.ok) return decoded;
  return ok(await encodeJpeg(decoded.value, o.quality));
}
