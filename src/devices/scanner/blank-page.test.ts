import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { checkBlank } from './blank-page.js';
import { decodePage } from './normalise.js';
import { renderSamplePage } from './sample-page.js';
import { testPicture, type TestPicture } from './test-kit.js';

async function check(input: Buffer) {
  const d = await decodePage(input);
  if (!d.ok) throw new Error(d.error.message);
  return checkBlank(d.value);
}

/** A white A4 page at 150 dpi with black rectangles (x, y, w, h in mm). */
async function whitePageWith(marks: Array<[number, number, number, number]>): Promise<Buffer> {
  const px = (mm: number) => Math.round((mm / 25.4) * 150);
  const rects = marks.map(
    ([x, y, w, h]) =>
      `<rect x="${px(x)}" y="${px(y)}" width="${Math.max(1, px(w))}" height="${Math.max(1, px(h))}" fill="#000"/>`,
  );
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${px(210)}" height="${px(297)}"><rect width="100%" height="100%" fill="#fff"/>${rects.join('')}</svg>`;
  return sharp(Buffer.from(svg)).jpeg({ quality: 80 }).toBuffer();
}

describe('checkBlank on the SANE test backend pictures', () => {
  it.each<[TestPicture, 'Gray' | 'Color', boolean]>([
    ['Solid white', 'Gray', true],
    ['Solid white', 'Color', true],
    ['Grid', 'Gray', false],
    ['Color pattern', 'Color', false],
    ['Color pattern', 'Gray', false],
    // A uniform page carries nothing, whatever its colour (an open lid over an empty glass).
    ['Solid black', 'Gray', true],
  ])('%s (%s) → blank %s', async (picture, mode, blank) => {
    for (const format of ['png', 'jpeg'] as const) {
      const r = await check(testPicture(picture, { mode, format, resolution: 100 }));
      expect(r.blank, `${picture} ${mode} ${format}: ink ${r.inkCoverage}`).toBe(blank);
    }
  });
});

describe('checkBlank on document-like pages', () => {
  it('keeps a page whose only content is a signature', async () => {
    const r = await check(
      await whitePageWith([
        [120, 250, 40, 1],
        [125, 242, 30, 0.6],
        [130, 238, 1, 12],
      ]),
    );
    expect(r.blank).toBe(false);
  });

  it('drops a white page with a few dust specks and an edge shadow', async () => {
    const r = await check(
      await whitePageWith([
        [50, 50, 0.3, 0.3],
        [150, 200, 0.4, 0.3],
        [0, 0, 3, 297],
      ]),
    );
    expect(r.blank).toBe(true);
    expect(r.inkCoverage).toBeLessThan(0.0002);
  });

  it('sees the generated sample page as content and the empty glass as blank', async () => {
    expect(
      (
        await check(
          await renderSamplePage({ pageNumber: 3, resolution: 75, colorMode: 'color', content: 'document' }),
        )
      ).blank,
    ).toBe(false);
    expect(
      (
        await check(
          await renderSamplePage({
            pageNumber: 0,
            resolution: 75,
            colorMode: 'grayscale',
            content: 'nothing',
          }),
        )
      ).blank,
    ).toBe(true);
  });

  it('reports the measures it decided on', async () => {
    const r = await check(testPicture('Grid'));
    expect(r.paper).toBe(255);
    expect(r.inkCoverage).toBeGreaterThan(0.3);
    expect(r.stdev).toBeGreaterThan(50);
  });
});
