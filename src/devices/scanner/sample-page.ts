/**
 * Generated pages for the simulator and the fake: an A4 sheet at the requested resolution and colour
 * mode, with a title strip, a large page number, "text" lines that differ per page (so content
 * addressing sees distinct pages) and a red seal. The title strip needs a CJK font, whose loading
 * dominates the cost, so it is rendered once per width and composited.
 */
import type * as ResvgModule from '@resvg/resvg-js';
import { lazyRequire } from '../../shared/lazy-require.js';
import type { ColorMode } from './types.js';

const resvg = lazyRequire<typeof ResvgModule>('@resvg/resvg-js');

export type SamplePageSpec = {
  pageNumber: number;
  resolution: number;
  colorMode: ColorMode;
  /** `nothing`: an empty glass or sheet — a white page. */
  content: 'document' | 'nothing';
  label?: string;
};

/** A4 is 210 × 297 mm; the drawing is laid out in a 2480 × 3508 (300 dpi) viewBox. */
export function a4Pixels(resolution: number): { width: number; height: number } {
  return { width: Math.round((210 / 25.4) * resolution), height: Math.round((297 / 25.4) * resolution) };
}

// Seven-segment digits: segments a,b,c,d,e,f,g lit per digit.
const SEGMENTS = [
  '1111110',
  '0110000',
  '1101101',
  '1111001',
  '0110011',
  '1011011',
  '1011111',
  '1110000',
  '1111111',
  '1111011',
];

function digitRects(n: number, x0: number, y0: number, size: number): string {
  const w = size * 0.55;
  const t = size * 0.1;
  const h = size / 2;
  const seg = [
    [x0 + t, y0, w - 2 * t, t],
    [x0 + w - t, y0 + t, t, h - t],
    [x0 + w - t, y0 + h, t, h - t],
    [x0 + t, y0 + size - t, w - 2 * t, t],
    [x0, y0 + h, t, h - t],
    [x0, y0 + t, t, h - t],
    [x0 + t, y0 + h - t / 2, w - 2 * t, t],
  ];
  let out = '';
  String(n)
    .split('')
    .forEach((ch, i) => {
      const lit = SEGMENTS[Number(ch)] ?? '0000000';
      for (let s = 0; s < 7; s++) {
        if (lit[s] !== '1') continue;
        const [x, y, sw, sh] = seg[s]!;
        out += `<rect x="${x! + i * size * 0.75}" y="${y}" width="${sw}" height="${sh}" fill="#111"/>`;
      }
    });
  return out;
}

function bodySvg(spec: SamplePageSpec, width: number, height: number): string {
  let lines = '';
  if (spec.content === 'document') {
    // Deterministic per page: a small LCG seeded by the page number.
    let seed = (spec.pageNumber * 2654435761) >>> 0;
    const next = () => {
      seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
      return seed / 2 ** 32;
    };
    for (let i = 0; i < 36; i++) {
      const len = 800 + Math.floor(next() * 1180);
      lines += `<rect x="240" y="${720 + i * 72}" width="${len}" height="26" fill="#3a3a3a"/>`;
    }
    lines += digitRects(spec.pageNumber, 1880, 250, 220);
    lines += '<circle cx="1900" cy="3150" r="170" fill="none" stroke="#c8102e" stroke-width="22"/>';
    lines += '<rect x="180" y="160" width="2120" height="3188" fill="none" stroke="#555" stroke-width="6"/>';
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 2480 3508"><rect width="2480" height="3508" fill="#ffffff"/>${lines}</svg>`;
}

const titleCache = new Map<string, Promise<Buffer>>();

function titleStrip(label: string, width: number): Promise<Buffer> {
  const key = `${width}:${label}`;
  let p = titleCache.get(key);
  if (!p) {
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="1560" height="160" viewBox="0 0 1560 160"><text x="0" y="120" font-family="Noto Sans CJK SC" font-size="96" fill="#111">${label}</text></svg>`;
    p = Promise.resolve(
      Buffer.from(
        new (resvg().Resvg)(svg, {
          fitTo: { mode: 'width', value: Math.round((width * 1560) / 2480) },
          font: { loadSystemFonts: true },
        })
          .render()
          .asPng(),
      ),
    );
    titleCache.set(key, p);
  }
  return p;
}

/** Renders one sample page as a JPEG (what an eSCL scanner returns for `image/jpeg`). */
export async function renderSamplePage(spec: SamplePageSpec): Promise<Buffer> {
  const { default: sharp } = await import('sharp');
  const { width, height } = a4Pixels(spec.resolution);
  const body = new (resvg().Resvg)(bodySvg(spec, width, height), {
    fitTo: { mode: 'width', value: width },
    font: { loadSystemFonts: false },
  }).render();
  let img = sharp(body.pixels, { raw: { width: body.width, height: body.height, channels: 4 } });
  if (spec.content === 'document') {
    const strip = await titleStrip(spec.label ?? '模拟扫描页 SIMULATED SCAN', width);
    const composed = await img
      .composite([{ input: strip, left: Math.round(width * 0.097), top: Math.round(height * 0.06) }])
      .raw()
      .toBuffer({ resolveWithObject: true });
    img = sharp(composed.data, {
      raw: { width: composed.info.width, height: composed.info.height, channels: composed.info.channels },
    });
  }
  img = img.flatten({ background: '#ffffff' });
  switch (spec.colorMode) {
    case 'color':
      break;
    case 'grayscale':
      img = img.toColourspace('b-w');
      break;
    case 'black-and-white':
      img = img.threshold(128).toColourspace('b-w');
      break;
    default: {
      const never: never = spec.colorMode;
      throw new Error(`unknown colour mode ${String(never)}`);
    }
  }
  return img.jpeg({ quality: 85 }).toBuffer();
}
