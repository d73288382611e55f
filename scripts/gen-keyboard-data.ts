/**
 * Generates the on-screen keyboard's big data files (src/renderer/lib/keyboard-data/), loaded lazily
 * by the kiosk (a separate chunk, so the first screen's bundle stays small):
 *  - phrases.ts: everyday words with their pinyin — the 2–4 character words of the Rime project's
 *    `pinyin_simp` dictionary (Debian package rime-data-pinyin-simp, derived from the Android
 *    PinyinIME word list), most used first by the dictionary's own weights (遗失, 机械, 电力 …);
 *  - rare-chars.ts: every CJK ideograph with a Mandarin reading in the Unicode Han Database
 *    (Debian package unicode-data, Unihan_Readings kMandarin), for the 生僻字 picker, by syllable and
 *    by total strokes (kTotalStrokes). An ideograph with no reading of its own takes the readings of
 *    the character it is a variant of (kSpoofingVariant, kZVariant, kSemanticVariant …): 𠮷
 *    (U+20BB7, the 吉 of some family names) has none in Unihan and is listed under ji with 吉.
 * Run at development time, not in CI: `apt-get install rime-data-pinyin-simp unicode-data`, then
 * `npm run gen:keyboard-data`. Deterministic: same inputs, same bytes.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(repoRoot, 'src', 'renderer', 'lib', 'keyboard-data');
const RIME_DICT = process.env.RIME_DICT ?? '/usr/share/rime-data/pinyin_simp.dict.yaml';
const UNIHAN_DIR = process.env.UNIHAN_DIR ?? '/usr/share/unicode';

/** Words kept: everyday text (遗失 has weight 506, rank ≈ 15k) at ≈ 150 KB gzipped. */
const MAX_PHRASES = 18_000;

const isHan = (s: string): boolean => /^\p{Script=Han}+$/u.test(s);

type Phrase = { word: string; syllables: string[]; weight: number };

function rimePhrases(): Phrase[] {
  const out: Phrase[] = [];
  let body = false;
  for (const line of readFileSync(RIME_DICT, 'utf8').split('\n')) {
    if (line === '...') {
      body = true;
      continue;
    }
    if (!body || line.startsWith('#')) continue;
    const [word = '', spelling = '', weight = '0'] = line.split('\t');
    const length = [...word].length;
    if (length < 2 || length > 4 || !isHan(word)) continue;
    const syllables = spelling.trim().split(/\s+/u);
    if (syllables.length !== length || !syllables.every((s) => /^[a-z]+$/.test(s))) continue;
    out.push({ word, syllables, weight: Number(weight) });
  }
  // Heaviest first; a word spelt twice keeps its heavier reading.
  out.sort((a, b) => b.weight - a.weight || (a.word < b.word ? -1 : a.word > b.word ? 1 : 0));
  const seen = new Set<string>();
  return out.filter((p) => !seen.has(p.word) && seen.add(p.word)).slice(0, MAX_PHRASES);
}

/** The data lines of one Unihan file: code point, field, value (comments dropped). */
function unihan(file: string): string[][] {
  return execFileSync('bzcat', [join(UNIHAN_DIR, `${file}.txt.bz2`)], { maxBuffer: 1 << 30 })
    .toString('utf8')
    .split('\n')
    .filter((line) => line.startsWith('U+'))
    .map((line) => line.split('\t'));
}

/** kMandarin "jí" → "ji"; ü → v as on the keyboard. */
function toneless(reading: string): string {
  return reading.normalize('NFC').replace(/ü/gu, 'v').normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

const charOf = (code: string): string => String.fromCodePoint(Number.parseInt(code.slice(2), 16));

function rareTable(): { table: Record<string, string>; chars: number; borrowed: number } {
  const readings = new Map<string, string[]>();
  const strokes = new Map<string, number>();
  for (const [code = '', field, value = ''] of unihan('Unihan_Readings')) {
    if (field !== 'kMandarin') continue;
    readings.set(
      charOf(code),
      [...new Set(value.split(' ').map(toneless))].filter((s) => /^[a-z]+$/.test(s)),
    );
  }
  for (const [code = '', field, value = ''] of unihan('Unihan_IRGSources')) {
    if (field === 'kTotalStrokes') strokes.set(charOf(code), Number(value.split(' ')[0]));
  }
  // Borrowed readings, from the variant fields in a fixed order of trust.
  const VARIANT_FIELDS = [
    'kSpoofingVariant',
    'kZVariant',
    'kCompatibilityVariant',
    'kSemanticVariant',
    'kSpecializedSemanticVariant',
    'kTraditionalVariant',
    'kSimplifiedVariant',
  ];
  const variants = new Map<string, Map<string, string[]>>();
  for (const [code = '', field = '', value = ''] of unihan('Unihan_Variants')) {
    if (!VARIANT_FIELDS.includes(field)) continue;
    const targets = value
      .split(' ')
      .map((v) => v.split('<')[0] ?? '')
      .filter((v) => v.startsWith('U+'))
      .map(charOf);
    const byField = variants.get(charOf(code)) ?? new Map<string, string[]>();
    byField.set(field, targets);
    variants.set(charOf(code), byField);
  }
  let borrowed = 0;
  for (const ch of strokes.keys()) {
    if (readings.has(ch)) continue;
    const byField = variants.get(ch);
    if (!byField) continue;
    for (const field of VARIANT_FIELDS) {
      const found = (byField.get(field) ?? []).flatMap((v) => readings.get(v) ?? []);
      if (found.length > 0) {
        readings.set(ch, [...new Set(found)]);
        borrowed++;
        break;
      }
    }
  }
  const bySyllable = new Map<string, string[]>();
  for (const [ch, list] of readings)
    for (const s of list) bySyllable.set(s, [...(bySyllable.get(s) ?? []), ch]);
  const table: Record<string, string> = {};
  for (const syllable of [...bySyllable.keys()].sort()) {
    const chars = (bySyllable.get(syllable) ?? []).sort(
      (a, b) =>
        (strokes.get(a) ?? 99) - (strokes.get(b) ?? 99) || (a.codePointAt(0) ?? 0) - (b.codePointAt(0) ?? 0),
    );
    // "6吉𠮷…7…": the stroke count, then its characters; the picker can jump to a count.
    let encoded = '';
    let last = -1;
    for (const ch of chars) {
      const n = strokes.get(ch) ?? 99;
      if (n !== last) encoded += String(n);
      last = n;
      encoded += ch;
    }
    table[syllable] = encoded;
  }
  return { table, chars: readings.size, borrowed };
}

function write(file: string, source: string): void {
  const path = join(outDir, file);
  writeFileSync(path, source);
  const kb = (n: number): string => `${(n / 1024).toFixed(1)} KB`;
  console.log(
    `${path}: ${kb(Buffer.byteLength(source))} raw, ${kb(gzipSync(source, { level: 9 }).length)} gzipped`,
  );
}

function main(): void {
  const phrases = rimePhrases();
  write(
    'phrases.ts',
    `/**
 * Everyday words for the pinyin keyboard. GENERATED by scripts/gen-keyboard-data.ts from the Rime
 * pinyin_simp dictionary (Debian rime-data-pinyin-simp) — do not edit by hand. ${phrases.length} words of
 * 2–4 characters, most used first; one a line: the word, a space, its syllables joined by "'".
 */
export const EVERYDAY_PHRASES = \`
${phrases.map((p) => `${p.word} ${p.syllables.join("'")}`).join('\n')}
\`;
`,
  );
  const { table, chars, borrowed } = rareTable();
  write(
    'rare-chars.ts',
    `/**
 * Every ideograph with a Mandarin reading, for the 生僻字 picker. GENERATED by
 * scripts/gen-keyboard-data.ts from the Unicode Han Database (Debian unicode-data: kMandarin,
 * kTotalStrokes; ${borrowed} ideographs without a reading of their own take their variant's) — do not
 * edit by hand. ${chars} characters. Syllable (ü as v) → stroke count, its characters, next count …
 */
export const RARE_CHARS: Readonly<Record<string, string>> = {
${Object.entries(table)
  .map(([s, v]) => `  ${s}: '${v}',`)
  .join('\n')}
};
`,
  );
}

main();
