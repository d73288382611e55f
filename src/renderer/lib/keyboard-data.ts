/**
 * The keyboard's big data, loaded on first use as its own chunk (dynamic import), so the first
 * screen's bundle stays small: everyday phrases (Rime pinyin_simp) and every ideograph's readings
 * (Unihan) for the 生僻字 picker. Until it arrives the keyboard works with its small built-in
 * dictionary; listeners hear when it is there so the candidate bar can refresh.
 */
export type KeyboardData = {
  /** One phrase a line: the word, a space, its syllables joined by "'"; best first. */
  phrases: string;
  /** Syllable → stroke count, its characters, next count … ("6吉𠮷7…"). */
  rare: Readonly<Record<string, string>>;
};

let data: KeyboardData | null = null;
let loading: Promise<KeyboardData> | null = null;
const listeners = new Set<() => void>();

export function keyboardData(): KeyboardData | null {
  return data;
}

export function loadKeyboardData(): Promise<KeyboardData> {
  loading ??= Promise.all([
    import('./keyboard-data/phrases.js'),
    import('./keyboard-data/rare-chars.js'),
  ]).then(
    ([phrases, rare]) => {
      data = { phrases: phrases.EVERYDAY_PHRASES, rare: rare.RARE_CHARS };
      for (const listener of listeners) listener();
      return data;
    },
    (error: unknown) => {
      // A failed load (never expected: the chunk is served by the kiosk itself) may be retried.
      loading = null;
      throw error;
    },
  );
  return loading;
}

export function onKeyboardData(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** "2几3丌亼" → characters with their stroke counts, in order (code points, so 𠮷 is one). */
export function decodeRare(encoded: string): { ch: string; strokes: number }[] {
  const out: { ch: string; strokes: number }[] = [];
  let strokes = 0;
  let number = '';
  for (const ch of encoded) {
    if (/\d/.test(ch)) {
      number += ch;
      continue;
    }
    if (number !== '') {
      strokes = Number(number);
      number = '';
    }
    out.push({ ch, strokes });
  }
  return out;
}
