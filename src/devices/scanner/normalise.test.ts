import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { sniffImage } from './image-format.js';
import { decodePage, normalisePage } from './normalise.js';
import { testPicture } from './test-kit.js';

// The test backend's default scan area is 80 × 100 mm: at 75 dpi that is 236 × 295 pixels.
const W = 236;
const H = 295;

describe('normalisePage', () => {
  it.each(['png', 'pnm', 'tiff', 'jpeg'] as const)(
    'turns a scanimage %s page into a JPEG of the same size',
    async (format) => {
      const input = testPicture('Color pattern', { format, mode: 'Color' });
      const r = await normalisePage(input);
      if (!r.ok) throw new Error(r.error.message);
      expect(sniffImage(r.value.data)).toBe('image/jpeg');
      const meta = await sharp(r.value.data).metadata();
      expect(meta).toMatchObject({ format: 'jpeg', width: W, height: H, channels: 3 });
      expect(r.value).toMatchObject({ mime: 'image/jpeg', width: W, height: H, quality: 85 });
    },
  );

  it('keeps greyscale input single-channel and turns colour grey on request', async () => {
    const grey = await normalisePage(testPicture('Grid', { mode: 'Gray' }));
    const forced = await normalisePage(testPicture('Color pattern', { mode: 'Color' }), { grayscale: true });
    if (!grey.ok || !forced.ok) throw new Error('normalise failed');
    expect((await sharp(grey.value.data).metadata()).channels).toBe(1);
    expect((await sharp(forced.value.data).metadata()).channels).toBe(1);
  });

  it('caps the longest side, keeps the aspect ratio and never enlarges', async () => {
    const big = await normalisePage(testPicture('Grid', { resolution: 300 }), { maxDimension: 600 });
    if (!big.ok) throw new Error(big.error.message);
    expect(big.value.height).toBe(600);
    expect(Math.abs(big.value.width / big.value.height - 944 / 1181)).toBeLessThan(0.01);
    const small = await normalisePage(testPicture('Grid'), { maxDimension: 5000 });
    if (!small.ok) throw new Error(small.error.message);
    expect([small.value.width, small.value.height]).toEqual([W, H]);
  });

  it('applies the EXIF orientation of camera photos and strips their metadata', async () => {
    // 200 × 100 stored, orientation 6 (rotate 90° clockwise to display), with EXIF fields.
    const photo = await sharp({ create: { width: 200, height: 100, channels: 3, background: '#336699' } })
      .jpeg()
      .withMetadata({ orientation: 6 })
      .withExifMerge({ IFD0: { Make: 'GaoPaiYi', Model: 'S1000' } })
      .toBuffer();
    expect((await sharp(photo).metadata()).exif).toBeDefined();
    const r = await normalisePage(photo);
    if (!r.ok) throw new Error(r.error.message);
    const meta = await sharp(r.value.data).metadata();
    expect([meta.width, meta.height]).toEqual([100, 200]);
    expect(meta.exif).toBeUndefined();
    expect(meta.orientation).toBeUndefined();
  });

  it('flattens transparency onto white', async () => {
    const png = await sharp({
      create: { width: 20, height: 20, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } },
    })
      .png()
      .toBuffer();
    const r = await decodePage(png);
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.channels).toBe(3);
    expect(Math.min(...r.value.data)).toBe(255);
  });

  it('refuses what it cannot read, with the reason as a value', async () => {
    const unknown = await normalisePage(Buffer.from('%PDF-1.7 not an image'));
    expect(unknown).toMatchObject({ ok: false, error: { kind: 'unsupported-format' } });
    const png = testPicture('Grid');
    const truncated = await normalisePage(png.subarray(0, Math.floor(png.length / 2)));
    expect(truncated).toMatchObject({ ok: false, error: { kind: 'corrupt-image' } });
    const tooManyBytes = await normalisePage(png, { maxInputBytes: 100 });
    expect(tooManyBytes).toMatchObject({ ok: false, error: { kind: 'input-too-large', limit: 100 } });
    const tooManyPixels = await normalisePage(png, { maxInputPixels: 10_000 });
    expect(tooManyPixels).toMatchObject({ ok: false, error: { kind: 'input-too-large' } });
    const pnmBomb = await normalisePage(testPicture('Grid', { format: 'pnm' }), { maxInputPixels: 10_000 });
    expect(pnmBomb).toMatchObject({ ok: false, error: { kind: 'input-too-large' } });
  });

  it('lower quality gives a smaller file', async () => {
    const input = testPicture('Color pattern', { mode: 'Color', resolution: 150 });
    const hi = await normalisePage(input, { quality: 95 });
    const lo = await normalisePage(input, { quality: 40 });
    if (!hi.ok || !lo.ok) throw new Error('normalise failed');
    expect(lo.value.data.length).toBeLessThan(hi.value.data.length);
  });
});
