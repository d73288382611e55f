/**
 * Glyph outlines of Noto Sans CJK SC, taken from @resvg/resvg-js and cached per character.
 *
 * Why: resvg re-loads and re-parses the 19 MB CJK font for every text chunk (≈100 ms each), and the
 * printer's column grid needs one chunk per character, so a receipt drawn as SVG text took many
 * seconds. Instead, all characters not yet cached are shaped in ONE chunk: each in its own <tspan>
 * with a unique fill colour (so its outline can be found in resvg's path output) and separated by a
 * reference glyph whose outline gives every character's origin and advance. Lines are then drawn as
 * plain paths, which resvg renders in milliseconds.
 */
import type * as ResvgModule from '@resvg/resvg-js';
import { lazyRequire } from '../../../shared/lazy-require.js';
import { charColumns } from './gb18030.js';

const resvg = lazyRequire<typeof ResvgModule>('@resvg/resvg-js');

export const FONT_FAMILY = 'Noto Sans CJK SC';
/** Outlines are taken at the printer's normal glyph height (24 dots); magnified characters scale. */
export const GLYPH_FONT_SIZE = 24;

export type Glyph = {
  /** Outline in atlas coordinates ('' for blank glyphs). */
  d: string;
  /** Pen position (origin on the baseline) of the glyph in atlas coordinates. */
  originX: number;
  originY: number;
  advance: number;
};

const REFERENCE = '国';
const BASELINE = 100;
const MAX_PER_ATLAS = 400;
const MAX_CACHED = 20_000;
const cache = new Map<string, Glyph>();

function escapeChar(ch: string): string {
  return ch === '&' ? '&amp;' : ch === '<' ? '&lt;' : ch === '>' ? '&gt;' : ch;
}

function colour(i: number): string {
  return `#${(i + 1).toString(16).padStart(6, '0')}`;
}

function minX(d: string): number {
  let min = Infinity;
  // usvg writes absolute M/L/C/Z commands: every even number is an x coordinate.
  const nums = d.match(/-?\d+(?:\.\d+)?(?:e-?\d+)?/g) ?? [];
  for (let i = 0; i < nums.length; i += 2) min = Math.min(min, Number(nums[i]));
  return min;
}

type AtlasPaths = { paths: Map<number, string>; origin: (tokenIndex: number) => number };

/** Shapes the tokens in one chunk; every token gets its own colour so its outline can be found. */
function shape(tokens: readonly string[]): AtlasPaths {
  const spans = tokens.map((t, i) => `<tspan fill="${colour(i)}">${escapeChar(t)}</tspan>`).join('');
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="100" height="200">` +
    `<text x="0" y="${BASELINE}" font-family="${FONT_FAMILY}" font-size="${GLYPH_FONT_SIZE}">${spans}</text></svg>`;
  const usvg = new (resvg().Resvg)(svg, {
    font: { loadSystemFonts: true, defaultFontFamily: FONT_FAMILY },
  }).toString();
  const paths = new Map<number, string>();
  for (const m of usvg.matchAll(/<path\b([^>]*)\/?>/g)) {
    const attrs = m[1] ?? '';
    const fill = /\bfill="#([0-9a-fA-F]{6})"/.exec(attrs);
    const d = /\sd="([^"]*)"/.exec(attrs);
    if (fill?.[1] !== undefined && d?.[1] !== undefined) paths.set(parseInt(fill[1], 16) - 1, d[1]);
  }
  const first = paths.get(0);
  if (first === undefined)
    throw new Error(`font "${FONT_FAMILY}" is not installed (no outline for ${REFERENCE})`);
  const lsb = minX(first); // token 0 is a reference glyph starting at x = 0
  return {
    paths,
    origin: (i) => {
      const p = paths.get(i);
      if (p === undefined) throw new Error('reference glyph missing from atlas');
      return minX(p) - lsb;
    },
  };
}

function store(c: string, glyph: Glyph): void {
  if (cache.size < MAX_CACHED) cache.set(c, glyph);
}

/** R R c1 R c2 R … cn R: the references give every character's origin and advance exactly. */
function interleaved(chars: readonly string[]): void {
  const tokens = [REFERENCE, REFERENCE];
  for (const c of chars) tokens.push(c, REFERENCE);
  const { paths, origin } = shape(tokens);
  const refAdvance = origin(1) - origin(0);
  chars.forEach((c, k) => {
    const originX = origin(2 * k + 1) + refAdvance;
    store(c, {
      d: paths.get(2 * k + 2) ?? '',
      originX,
      originY: BASELINE,
      advance: origin(2 * k + 3) - originX,
    });
  });
}

/**
 * Full-width characters normally all advance one em, so R R c1 c2 … cn R needs half the glyphs (resvg's
 * cost is per glyph). If the closing reference shows any other advance, fall back to interleaving.
 */
function fullWidthRun(chars: readonly string[]): void {
  const { paths, origin } = shape([REFERENCE, REFERENCE, ...chars, REFERENCE]);
  const em = origin(1) - origin(0);
  const start = origin(1) + em;
  if (Math.abs(origin(chars.length + 2) - start - chars.length * em) > 0.01) {
    interleaved(chars);
    return;
  }
  chars.forEach((c, k) =>
    store(c, { d: paths.get(k + 2) ?? '', originX: start + k * em, originY: BASELINE, advance: em }),
  );
}

function renderAtlas(chars: readonly string[]): void {
  const wide = chars.filter((c) => charColumns(c) === 2);
  const narrow = chars.filter((c) => charColumns(c) === 1);
  if (wide.length > 0) fullWidthRun(wide);
  if (narrow.length > 0) interleaved(narrow);
}

/** Makes sure every character of `text` has a cached outline (one resvg pass for all missing ones). */
export function ensureGlyphs(text: string): void {
  const missing = new Set<string>();
  for (const ch of text) if (ch !== ' ' && !cache.has(ch)) missing.add(ch);
  const list = [...missing];
  for (let i = 0; i < list.length; i += MAX_PER_ATLAS) renderAtlas(list.slice(i, i + MAX_PER_ATLAS));
}

export function glyphFor(ch: string): Glyph | undefined {
  return cache.get(ch);
}
