import { describe, expect, it } from 'vitest';
import {
  keyboardReducer,
  initialKeyboardState,
  candidatePages,
  type KeyboardConfig,
} from './keyboard-state.js';
import { decodeRare, keyboardData, loadKeyboardData } from './keyboard-data.js';
import { defaultPinyinIme } from './pinyin-ime.js';

describe('keyboard data (loaded lazily)', () => {
  it('is absent until loaded, then gives everyday phrases: yishi → 遗失, jixie → 机械, dianli → 电力', async () => {
    expect(keyboardData()).toBeNull();
    // Before: only single characters for yishi (the complaint of issue 12).
    const firstPage = (buffer: string) => (candidatePages(buffer)[0] ?? []).map((c) => c.text);
    expect(firstPage('jixie')).not.toContain('机械');
    await loadKeyboardData();
    const ime = defaultPinyinIme();
    // 遗失 is a form word (补发 forms ask for 遗失日期), so first; everyday words follow it.
    expect(ime.candidates('yishi')[0]?.text).toBe('遗失');
    expect(firstPage('yishi')).toContain('意识');
    expect(ime.candidates('jixie')[0]?.text).toBe('机械');
    expect(ime.candidates('dianli')[0]?.text).toBe('电力');
    // The catalog's own words still rank first.
    expect(ime.candidates('shebao')[0]?.text).toBe('社保');
  });

  it('lists 𠮷 (outside the BMP, no reading of its own in Unihan) under ji in the 生僻字 picker', async () => {
    await loadKeyboardData();
    const rare = defaultPinyinIme().rareCandidates('ji');
    const ji = rare.find((c) => c.text === '𠮷');
    expect(ji).toEqual({ text: '𠮷', consumed: 2, kind: 'char', strokes: 6 });
    // Fewest strokes first: 几 (2) before 吉 (6) before 𠮷's later neighbours.
    expect(rare.findIndex((c) => c.text === '几')).toBeLessThan(rare.findIndex((c) => c.text === '吉'));
    expect(rare.length).toBeGreaterThan(300);
  });

  it('types 张𠮷明 through the picker, and backspace removes 𠮷 whole (a surrogate pair)', async () => {
    await loadKeyboardData();
    const config: KeyboardConfig = { layouts: ['pinyin', 'letters'] };
    const pickFrom = (
      model: { state: ReturnType<typeof initialKeyboardState>; value: string },
      text: string,
      rare = false,
    ) => {
      const c = candidatePages(model.state.buffer, undefined, rare)
        .flat()
        .find((x) => x.text === text);
      if (!c) throw new Error(`${text} not offered`);
      return keyboardReducer(model, { type: 'pick', candidate: c }, config);
    };
    const letters = (
      model: { state: ReturnType<typeof initialKeyboardState>; value: string },
      word: string,
    ) =>
      [...word].reduce((m, letter) => keyboardReducer(m, { type: 'letter', letter }, config), {
        ...model,
        done: false,
      });
    let m = { state: initialKeyboardState(config), value: '' };
    m = pickFrom(letters(m, 'zhang'), '张');
    m = keyboardReducer(letters(m, 'ji'), { type: 'rare' }, config);
    expect(m.state.rare).toBe(true);
    m = pickFrom(m, '𠮷', true);
    expect(m.state.rare).toBe(false);
    m = pickFrom(letters(m, 'ming'), '明');
    expect(m.value).toBe('张𠮷明');
    m = keyboardReducer(m, { type: 'backspace' }, config);
    m = keyboardReducer(m, { type: 'backspace' }, config);
    expect(m.value).toBe('张');
  });

  it('decodes stroke groups by code point', () => {
    expect(decodeRare('2几3丌12𠮷')).toEqual([
      { ch: '几', strokes: 2 },
      { ch: '丌', strokes: 3 },
      { ch: '𠮷', strokes: 12 },
    ]);
  });
});
