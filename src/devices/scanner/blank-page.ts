/**
 * Blank-page detection on the luminance of a sample grid: a pixel is "ink" when it is clearly darker
 * than the page's paper tone (the 90th percentile of luminance), and a page is blank when ink covers
 * less than a small fraction of it, away from the edges (scanner shadows, camera vignetting). A
 * uniform page of any colour carries no content and counts as blank. Thresholds follow the approach
 * of NAPS2's blank-page removal (docs/devices-scanner.md, "What residents and staff expect from
 * scanning").
 */
import type { DecodedPage } from './normalise.js';

export type BlankOptions = {
  /** How much darker than the paper tone (0..255) a pixel must be to count as ink. */
  inkContrast: number;
  /** A page whose ink covers less than this fraction (0..1) is blank. */
  maxInkCoverage: number;
  /** Fraction of width/height ignored at each edge. */
  margin: number;
  /** Pixels are sampled on a grid whose longer side has about this many points. */
  sampleSize: number;
};

export const DEFAULT_BLANK_OPTIONS: BlankOptions = {
  inkContrast: 48,
  maxInkCoverage: 0.0002,
  margin: 0.03,
  sampleSize: 1500,
};

export type BlankCheck = {
  blank: boolean;
  /** Fraction of sampled pixels that are ink. */
  inkCoverage: number;
  /** Paper tone: 90th percentile of luminance. */
  paper: number;
  /** Standard deviation of luminance. */
  stdev: number;
};

/**
 * Point samples rather than a smoothed thumbnail: a thin pen stroke keeps its full darkness, and
 * sampling the decoded pixels in place costs a few milliseconds where a resize costs hundreds.
 */
export function checkBlank(page: DecodedPage, options: Partial<BlankOptions> = {}): BlankCheck {
  const o = { ...DEFAULT_BLANK_OPTIONS, ...options };
  const { data, width, height, channels } = page;
  const step = Math.max(1, Math.floor(Math.max(width, height) / o.sampleSize));
  const x0 = Math.floor(width * o.margin);
  const x1 = Math.max(x0 + 1, width - x0);
  const y0 = Math.floor(height * o.margin);
  const y1 = Math.max(y0 + 1, height - y0);

  const histogram = new Uint32Array(256);
  let n = 0;
  let sum = 0;
  let sumSq = 0;
  for (let y = y0; y < y1; y += step) {
    let i = (y * width + x0) * channels;
    const stride = step * channels;
    for (let x = x0; x < x1; x += step, i += stride) {
      // ITU-R BT.601 luma in integer arithmetic (77/150/29 ≈ 0.299/0.587/0.114 × 256).
      const v = channels === 1 ? data[i]! : (data[i]! * 77 + data[i + 1]! * 150 + data[i + 2]! * 29) >> 8;
      histogram[v]!++;
      sum += v;
      sumSq += v * v;
      n++;
    }
  }
  let paper = 255;
  let seen = 0;
  for (let v = 0; v < 256; v++) {
    seen += histogram[v]!;
    if (seen >= n * 0.9) {
      paper = v;
      break;
    }
  }
  let ink = 0;
  for (let v = 0; v < paper - o.inkContrast; v++) ink += histogram[v]!;
  const mean = sum / n;
  const inkCoverage = ink / n;
  return {
    blank: inkCoverage < o.maxInkCoverage,
    inkCoverage,
    paper,
    stdev: Math.sqrt(Math.max(0, sumSq / n - mean * mean)),
  };
}
