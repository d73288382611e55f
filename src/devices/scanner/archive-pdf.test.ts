import { execFileSync } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assembleArchivePdf, type ArchivePage } from './archive-pdf.js';
import { normalisePage } from './normalise.js';
import { renderSamplePage } from './sample-page.js';
import { testPicture } from './test-kit.js';

const ARTIFACT = join(import.meta.dirname, '..', '..', '..', 'e2e', 'artifacts', 'scanner-archive.png');
let dir: string;
let pages: ArchivePage[];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'zizhu-archive-test-'));
  const inputs = [
    await renderSamplePage({ pageNumber: 1, resolution: 100, colorMode: 'color', content: 'document' }),
    testPicture('Grid', { resolution: 75 }),
    // A landscape page: the colour pattern turned on its side.
    await sharp(testPicture('Color pattern', { mode: 'Color', resolution: 75 }))
      .rotate(90)
      .png()
      .toBuffer(),
  ];
  pages = [];
  for (const input of inputs) {
    const n = await normalisePage(input);
    if (!n.ok) throw new Error(n.error.message);
    pages.push({ data: n.value.data, width: n.value.width, height: n.value.height });
  }
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Renders the PDF with poppler's pdftoppm (an independent reader) and returns the PNG files. */
async function rasterise(pdf: Buffer, dpi: number, onlyFirst = false): Promise<string[]> {
  const file = join(dir, `archive-${dpi}.pdf`);
  await writeFile(file, pdf);
  execFileSync('pdftoppm', [
    '-r',
    String(dpi),
    ...(onlyFirst ? ['-f', '1', '-l', '1'] : []),
    '-png',
    file,
    join(dir, `page-${dpi}`),
  ]);
  return (await readdir(dir))
    .filter((f) => f.startsWith(`page-${dpi}`) && f.endsWith('.png'))
    .sort()
    .map((f) => join(dir, f));
}

/** Fraction of dark pixels in a region given in fractions of the page. */
async function inkIn(
  png: string,
  region: { left: number; top: number; width: number; height: number },
): Promise<number> {
  const meta = await sharp(png).metadata();
  const W = meta.width ?? 0;
  const H = meta.height ?? 0;
  const { data } = await sharp(png)
    .extract({
      left: Math.round(region.left * W),
      top: Math.round(region.top * H),
      width: Math.round(region.width * W),
      height: Math.round(region.height * H),
    })
    .grayscale()
    .raw()
    .toBuffer({ resolveWithObject: true });
  let dark = 0;
  for (const v of data) if (v < 128) dark++;
  return dark / data.length;
}

describe('assembleArchivePdf', () => {
  it('makes one A4 page per scan, landscape for landscape scans, with a Chinese header line', async () => {
    const r = await assembleArchivePdf(pages, {
      header: '居民身份证复印件 · 受理号 R20260115-0042',
      creationDate: new Date('2026-01-15T08:00:00Z'),
    });
    if (!r.ok) throw new Error(r.error.message);
    const pdf = r.value;
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    // The Noto CJK face is embedded (as a subset) so the header renders anywhere.
    expect(pdf.toString('latin1')).toMatch(/NotoSansCJKsc-Regular/);

    const pngs = await rasterise(pdf, 30);
    expect(pngs).toHaveLength(3);
    const sizes = await Promise.all(pngs.map((p) => sharp(p).metadata()));
    // A4 at 30 dpi: 248.03 × 350.8 pixels (pdftoppm rounds up), turned for the landscape page.
    expect(sizes.map((m) => [m.width, m.height])).toEqual([
      [249, 351],
      [249, 351],
      [351, 249],
    ]);
    const first = await rasterise(pdf, 100, true);
    pngs[0] = first[0]!;
    // Header band on top has text; the page body has the scan.
    expect(await inkIn(pngs[0], { left: 0.05, top: 0.03, width: 0.9, height: 0.03 })).toBeGreaterThan(0.02);
    expect(await inkIn(pngs[0], { left: 0.1, top: 0.2, width: 0.8, height: 0.6 })).toBeGreaterThan(0.05);
    // The grid page is fitted to the width (80 × 100 mm scan onto an A4 box): grid lines reach both sides.
    expect(await inkIn(pngs[1]!, { left: 0.06, top: 0.3, width: 0.05, height: 0.3 })).toBeGreaterThan(0.1);
    expect(await inkIn(pngs[1]!, { left: 0.89, top: 0.3, width: 0.05, height: 0.3 })).toBeGreaterThan(0.1);

    // The picture a reviewer looks at: page 1 at 100 dpi.
    await mkdir(join(ARTIFACT, '..'), { recursive: true });
    await copyFile(pngs[0], ARTIFACT);
    expect((await readFile(ARTIFACT)).length).toBeGreaterThan(1000);
  });

  it('embeds JPEG pages as they are, so the archive is about the size of its pages', async () => {
    const r = await assembleArchivePdf(pages);
    if (!r.ok) throw new Error(r.error.message);
    const total = pages.reduce((s, p) => s + p.data.length, 0);
    expect(r.value.length).toBeLessThan(total + 20_000);
    expect(r.value.toString('latin1')).toContain('/DCTDecode');
    expect(r.value.toString('latin1')).not.toMatch(/NotoSansCJK/);
  });

  it('reports refusals as values', async () => {
    expect(await assembleArchivePdf([])).toMatchObject({ ok: false, error: { kind: 'no-pages' } });
    expect(
      await assembleArchivePdf(pages, { header: '标题', fontPath: '/nonexistent/font.ttc' }),
    ).toMatchObject({ ok: false, error: { kind: 'font-missing' } });
    expect(
      await assembleArchivePdf([pages[0]!, { data: Buffer.from('not an image'), width: 10, height: 10 }]),
    ).toMatchObject({
      ok: false,
      error: { kind: 'bad-image', index: 1 },
    });
  });
});
