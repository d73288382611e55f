/**
 * Pinyin input engine of the on-screen keyboard: from the latin letters typed so far (the buffer) to
 * ranked candidates, the way desktop and phone IMEs behave:
 *  - the buffer is cut into syllables, longest valid syllable first, backtracking when the rest
 *    would not parse (xian → xian, zhangsan → zhang'san, fangan → fang'an); a piece that is only
 *    the start of a syllable (s, zh, b) is allowed and counted as incomplete, so `sb` → s'b;
 *  - candidates, best first: phrases the whole buffer spells with every syllable in full (xian →
 *    西安), then with syllables cut short (sheb, sb → 社保), then phrases spelt by the buffer's first
 *    syllables (shebaoka → 社保, leaving ka), then longer phrases the buffer begins (sb → 社保卡),
 *    then the characters of the first syllable — before the cut-short phrases when the buffer is
 *    one whole syllable (sha → 沙 before 上海). A character converts only its syllable; the rest
 *    of the buffer stays to be converted next (zhangsan → 张 leaves san → 三);
 *  - ü is typed v (nv 女, lv 绿; lue/nue are accepted for lve/nve); "'" forces a syllable break
 *    (xi'an).
 * Pure and synchronous: the keyboard reducer and the unit tests call it directly.
 */
import { decodeRare, keyboardData } from './keyboard-data.js';
import { FREQUENT_CHARS, PHRASES, SYLLABLE_CHARS } from './pinyin-dict.js';

export type PinyinDict = {
  /** Syllable → characters, best first; a "|" ends those worth offering for an initial alone. */
  syllableChars: Readonly<Record<string, string>>;
  /** Common characters in order of use, to rank characters of several syllables together. */
  frequentChars: string;
  /** One phrase a line: the word, a space, its syllables joined by "'"; best first. */
  phrases: string;
  /** The 生僻字 picker's ideographs by syllable (keyboard-data.ts), once loaded. */
  rare?: Readonly<Record<string, string>>;
};

/** One piece of the segmented buffer; `end` is its end offset in the buffer (apostrophes included). */
export type Piece = { text: string; complete: boolean; end: number };

export type Candidate = {
  text: string;
  /** How many characters of the buffer (apostrophes included) picking this candidate converts. */
  consumed: number;
  kind: 'phrase' | 'char';
  /** Strokes of a 生僻字 picker candidate, shown beside it. */
  strokes?: number;
};

export type PinyinIme = {
  segment(buffer: string): Piece[];
  candidates(buffer: string): Candidate[];
  /** 生僻字: every ideograph read as the buffer's first syllable, fewest strokes first. */
  rareCandidates(buffer: string): Candidate[];
};

export type PageLimits = { maxItems: number; maxChars: number };

/** A candidate bar of one row: up to 8 single characters, fewer long phrases. */
export const DEFAULT_PAGE_LIMITS: PageLimits = { maxItems: 8, maxChars: 14 };

/** Longest pinyin syllable (zhuang, chuang, shuang). */
const MAX_SYLLABLE = 6;
/** Phrase candidates kept; beyond these the resident types more letters instead of paging on. */
const MAX_PHRASES = 40;
/** Characters kept when a lone initial ("s") gathers several syllables. */
const MAX_INITIAL_CHARS = 120;
/** Common alternative spellings of ü syllables. */
const ALIASES: Readonly<Record<string, string>> = { lue: 'lve', nue: 'nve' };

type Phrase = { word: string; syllables: readonly string[]; index: number };

/** The buffer as an IME shows it: pieces joined by "'", ü spelt out after n and l (nü, lüe). */
export function formatPieces(pieces: readonly Piece[]): string {
  return pieces.map((p) => p.text.replace(/^([nl])v/, '$1ü')).join("'");
}

/**
 * Splits candidates into pages that fit one row of the candidate bar: at most `maxItems`
 * candidates and `maxChars` characters, but always at least one candidate per page.
 */
export function paginate(
  candidates: readonly Candidate[],
  limits: PageLimits = DEFAULT_PAGE_LIMITS,
): Candidate[][] {
  const pages: Candidate[][] = [];
  let page: Candidate[] = [];
  let chars = 0;
  for (const c of candidates) {
    const size = [...c.text].length;
    if (page.length > 0 && (page.length >= limits.maxItems || chars + size > limits.maxChars)) {
      pages.push(page);
      page = [];
      chars = 0;
    }
    page.push(c);
    chars += size;
  }
  if (page.length > 0) pages.push(page);
  return pages;
}

export function createPinyinIme(dict: PinyinDict): PinyinIme {
  const top = new Map<string, string>();
  const all = new Map<string, string>();
  for (const [syllable, chars] of Object.entries(dict.syllableChars)) {
    const [best = '', rest = ''] = chars.split('|');
    top.set(syllable, best);
    all.set(syllable, best + rest);
  }
  const syllables = new Set(all.keys());
  for (const [alias, real] of Object.entries(ALIASES)) if (syllables.has(real)) syllables.add(alias);
  const prefixes = new Set<string>();
  for (const s of syllables) for (let i = 1; i <= s.length; i++) prefixes.add(s.slice(0, i));
  const sortedSyllables = [...all.keys()].sort();

  const frequency = new Map<string, number>();
  [...dict.frequentChars].forEach((ch, i) => {
    if (!frequency.has(ch)) frequency.set(ch, i);
  });

  const phrases: Phrase[] = [];
  const byFirstLetter = new Map<string, Phrase[]>();
  const byFullSpelling = new Map<string, Phrase[]>();
  for (const line of dict.phrases.split('\n')) {
    const [word, spelling] = line.trim().split(' ');
    if (!word || !spelling) continue;
    const phrase: Phrase = { word, syllables: spelling.split("'"), index: phrases.length };
    phrases.push(phrase);
    // Pushed, not copied: the everyday dictionary has tens of thousands of phrases.
    const first = spelling[0] ?? '';
    const sameFirst = byFirstLetter.get(first);
    if (sameFirst) sameFirst.push(phrase);
    else byFirstLetter.set(first, [phrase]);
    const full = phrase.syllables.join('');
    const sameSpelling = byFullSpelling.get(full);
    if (sameSpelling) sameSpelling.push(phrase);
    else byFullSpelling.set(full, [phrase]);
  }

  const canonical = (s: string): string => ALIASES[s] ?? s;

  /** Best split of one apostrophe-free run: fewest incomplete pieces, then fewest pieces. */
  function segmentRun(run: string): { text: string; complete: boolean }[] {
    type Best = { pieces: { text: string; complete: boolean }[]; incomplete: number };
    const memo = new Map<number, Best>();
    const better = (a: Best, b: Best | undefined): boolean =>
      b === undefined ||
      a.incomplete < b.incomplete ||
      (a.incomplete === b.incomplete && a.pieces.length < b.pieces.length);
    const solve = (pos: number): Best => {
      if (pos === run.length) return { pieces: [], incomplete: 0 };
      const known = memo.get(pos);
      if (known) return known;
      let best: Best | undefined;
      const longest = Math.min(MAX_SYLLABLE, run.length - pos);
      // Whole syllables first, longest first: a tie keeps the earlier (longer) choice.
      for (let len = longest; len >= 1; len--) {
        const text = run.slice(pos, pos + len);
        if (!syllables.has(text)) continue;
        const rest = solve(pos + len);
        const option = { pieces: [{ text, complete: true }, ...rest.pieces], incomplete: rest.incomplete };
        if (better(option, best)) best = option;
      }
      for (let len = longest; len >= 1; len--) {
        const text = run.slice(pos, pos + len);
        if (syllables.has(text) || !prefixes.has(text)) continue;
        const rest = solve(pos + len);
        const option = {
          pieces: [{ text, complete: false }, ...rest.pieces],
          incomplete: rest.incomplete + 1,
        };
        if (better(option, best)) best = option;
      }
      // A letter no syllable starts with (i, u, v at the start): keep it as its own piece.
      if (!best) {
        const rest = solve(pos + 1);
        best = {
          pieces: [{ text: run.slice(pos, pos + 1), complete: false }, ...rest.pieces],
          incomplete: rest.incomplete + 1,
        };
      }
      memo.set(pos, best);
      return best;
    };
    return solve(0).pieces;
  }

  function segment(buffer: string): Piece[] {
    const out: Piece[] = [];
    let offset = 0;
    for (const run of buffer.split("'")) {
      for (const piece of segmentRun(run)) {
        offset += piece.text.length;
        out.push({ ...piece, end: offset });
      }
      offset += 1; // the apostrophe after this run
    }
    return out;
  }

  type PhraseMatch = { phrase: Phrase; exact: boolean; full: number; pieces: number };

  /**
   * Whether the letters spell the phrase's first syllables, each typed in full or cut short, never
   * across a forced break. Keeps the reading with the most syllables typed in full.
   */
  function matchPhrase(letters: string, breaks: ReadonlySet<number>, phrase: Phrase): PhraseMatch | null {
    const n = phrase.syllables.length;
    const m = letters.length;
    // full[i][pos]: most whole syllables among i pieces covering letters[0, pos); -1 = unreachable.
    const full: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(-1));
    const row0 = full[0];
    if (row0) row0[0] = 0;
    for (let i = 0; i < n; i++) {
      const syllable = phrase.syllables[i] ?? '';
      const from = full[i] ?? [];
      const to = full[i + 1] ?? [];
      for (let pos = 0; pos < m; pos++) {
        const score = from[pos] ?? -1;
        if (score < 0) continue;
        for (let len = 1; len <= syllable.length && pos + len <= m; len++) {
          if (letters[pos + len - 1] !== syllable[len - 1]) break;
          if (len > 1 && breaks.has(pos + len - 1)) break;
          const next = score + (len === syllable.length ? 1 : 0);
          if (next > (to[pos + len] ?? -1)) to[pos + len] = next;
        }
      }
    }
    const exact = full[n]?.[m] ?? -1;
    if (exact >= 0) return { phrase, exact: true, full: exact, pieces: n };
    // The start of a longer phrase: only from two syllables on, or one letter would list hundreds.
    for (let i = n - 1; i >= 2; i--) {
      const score = full[i]?.[m] ?? -1;
      if (score >= 0) return { phrase, exact: false, full: score, pieces: i };
    }
    return null;
  }

  type PhraseGroups = { spelt: Candidate[]; abbreviated: Candidate[]; rest: Candidate[] };

  function phraseCandidates(buffer: string, pieces: readonly Piece[]): PhraseGroups {
    const letters = buffer.replace(/'/g, '');
    // Offsets (in letters) where the resident typed "'": a syllable must start there.
    const breaks = new Set<number>();
    let seen = 0;
    for (const ch of buffer) {
      if (ch === "'") breaks.add(seen);
      else seen++;
    }
    const matches: PhraseMatch[] = [];
    for (const phrase of byFirstLetter.get(letters[0] ?? '') ?? []) {
      const m = matchPhrase(letters, breaks, phrase);
      if (m) matches.push(m);
    }
    matches.sort(
      (a, b) =>
        Number(a.full !== a.pieces) - Number(b.full !== b.pieces) ||
        a.phrase.syllables.length - b.phrase.syllables.length ||
        a.phrase.index - b.phrase.index,
    );
    const whole = matches.filter((m) => m.exact);
    const spelt = whole.filter((m) => m.full === m.pieces).map((m) => phrase(m.phrase, buffer.length));
    const abbreviated = whole.filter((m) => m.full !== m.pieces).map((m) => phrase(m.phrase, buffer.length));
    // Phrases spelt in full by the first syllables, leaving the rest (shebaoka → 社保 + ka).
    const leading: Candidate[] = [];
    for (let j = pieces.length - 1; j >= 2; j--) {
      const head = pieces.slice(0, j);
      if (!head.every((p) => p.complete)) continue;
      const end = head[head.length - 1]?.end ?? 0;
      for (const p of byFullSpelling.get(head.map((x) => canonical(x.text)).join('')) ?? []) {
        leading.push(phrase(p, end));
      }
    }
    // Then the longer phrases the buffer only begins (sb → 社保卡).
    const started = matches.filter((m) => !m.exact).map((m) => phrase(m.phrase, buffer.length));
    return { spelt, abbreviated, rest: [...leading, ...started] };
  }

  function phrase(p: Phrase, consumed: number): Candidate {
    return { text: p.word, consumed, kind: 'phrase' };
  }

  function charCandidates(first: Piece): Candidate[] {
    const text = canonical(first.text);
    const toCandidate = (ch: string): Candidate => ({ text: ch, consumed: first.end, kind: 'char' });
    if (first.complete) return [...(all.get(text) ?? '')].map(toCandidate);
    // An initial alone (s, zh): the best characters of every syllable it starts, most used first,
    // then, round by round, the rest of each syllable's best ones.
    const pool: { ch: string; place: number; syllable: number }[] = [];
    sortedSyllables.forEach((s, si) => {
      if (!s.startsWith(text)) return;
      [...(top.get(s) ?? '')].forEach((ch, place) => pool.push({ ch, place, syllable: si }));
    });
    pool.sort(
      (a, b) =>
        (frequency.get(a.ch) ?? Infinity) - (frequency.get(b.ch) ?? Infinity) ||
        a.place - b.place ||
        a.syllable - b.syllable,
    );
    const seen = new Set<string>();
    const out: Candidate[] = [];
    for (const { ch } of pool) {
      if (seen.has(ch)) continue;
      seen.add(ch);
      out.push(toCandidate(ch));
      if (out.length >= MAX_INITIAL_CHARS) break;
    }
    return out;
  }

  function candidates(buffer: string): Candidate[] {
    if (buffer.replace(/'/g, '') === '') return [];
    const pieces = segment(buffer);
    const first = pieces[0];
    const groups = phraseCandidates(buffer, pieces);
    const chars = first ? charCandidates(first) : [];
    // One whole syllable typed (sha): its characters before the phrases it could abbreviate (上海).
    const single = pieces.length === 1 && first?.complete === true;
    const phrases = single
      ? groups.spelt
      : [...groups.spelt, ...groups.abbreviated, ...groups.rest].slice(0, MAX_PHRASES);
    const after = single ? [...groups.abbreviated, ...groups.rest].slice(0, MAX_PHRASES) : [];
    const out: Candidate[] = [];
    const seen = new Set<string>();
    for (const c of [...phrases, ...chars, ...after]) {
      const key = `${c.text}\u0000${c.consumed}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(c);
    }
    return out;
  }

  const rareBySyllable = new Map<string, { ch: string; strokes: number }[]>();
  function rareCandidates(buffer: string): Candidate[] {
    const first = segment(buffer)[0];
    if (!first?.complete || !dict.rare) return [];
    const syllable = canonical(first.text);
    let chars = rareBySyllable.get(syllable);
    if (!chars) {
      chars = decodeRare(dict.rare[syllable] ?? '');
      rareBySyllable.set(syllable, chars);
    }
    return chars.map(({ ch, strokes }) => ({ text: ch, consumed: first.end, kind: 'char', strokes }));
  }

  return { segment, candidates, rareCandidates };
}

let basic: PinyinIme | undefined;
let full: PinyinIme | undefined;
/**
 * The engine over the built-in dictionary, built on first use (a few milliseconds); once the big
 * data has loaded (keyboard-data.ts), over it too: the catalog's words rank before everyday ones.
 */
export function defaultPinyinIme(): PinyinIme {
  const extra = keyboardData();
  if (extra) {
    full ??= createPinyinIme({
      syllableChars: SYLLABLE_CHARS,
      frequentChars: FREQUENT_CHARS,
      phrases: `${PHRASES}\n${extra.phrases}`,
      rare: extra.rare,
    });
    return full;
  }
  basic ??= createPinyinIme({
    syllableChars: SYLLABLE_CHARS,
    frequentChars: FREQUENT_CHARS,
    phrases: PHRASES,
  });
  return basic;
}
