import { describe, expect, it } from 'vitest';
import { FREQUENT_CHARS, PHRASES, SYLLABLE_CHARS } from './pinyin-dict.js';
import { type Candidate, createPinyinIme, defaultPinyinIme, formatPieces, paginate } from './pinyin-ime.js';

const ime = defaultPinyinIme();
const texts = (buffer: string, n = 12): string[] =>
  ime
    .candidates(buffer)
    .slice(0, n)
    .map((c) => c.text);
const spelt = (buffer: string): string => formatPieces(ime.segment(buffer));
const first = (buffer: string): Candidate | undefined => ime.candidates(buffer)[0];

describe('generated dictionary', () => {
  it('holds the 3,755 GB2312 level-1 characters under their readings', () => {
    const chars = new Set(Object.values(SYLLABLE_CHARS).flatMap((s) => [...s.replace('|', '')]));
    expect(chars.size).toBe(3755);
    expect(Object.keys(SYLLABLE_CHARS).length).toBeGreaterThan(390);
    expect(Object.keys(SYLLABLE_CHARS).every((s) => /^[a-z]+$/.test(s))).toBe(true);
  });

  it('files heteronyms under every reading (行 under xing and hang)', () => {
    expect(SYLLABLE_CHARS.xing).toContain('行');
    expect(SYLLABLE_CHARS.hang).toContain('行');
    expect(SYLLABLE_CHARS.zhang).toContain('长');
    expect(SYLLABLE_CHARS.chang).toContain('长');
  });

  it('puts the common characters first in their syllable', () => {
    expect(SYLLABLE_CHARS.de?.[0]).toBe('的');
    expect(SYLLABLE_CHARS.shi?.[0]).toBe('是');
    expect(SYLLABLE_CHARS.zhang?.[0]).toBe('张');
    expect(SYLLABLE_CHARS.san?.[0]).toBe('三');
  });

  it('writes ü as v', () => {
    expect(SYLLABLE_CHARS.nv).toContain('女');
    expect(SYLLABLE_CHARS.lv).toContain('绿');
    expect(SYLLABLE_CHARS.lve).toContain('略');
    expect(Object.keys(SYLLABLE_CHARS).some((s) => s.includes('ü'))).toBe(false);
  });

  it('has the kiosk phrases with pinyin read in context', () => {
    const lines = new Set(PHRASES.trim().split('\n'));
    for (const line of [
      "社保 she'bao",
      "银行 yin'hang",
      "重庆 chong'qing",
      "西咸新区 xi'xian'xin'qu",
      "陕西 shan'xi",
      "营业执照 ying'ye'zhi'zhao",
      "有限公司 you'xian'gong'si",
      "退休 tui'xiu",
    ]) {
      expect(lines.has(line), line).toBe(true);
    }
    expect(FREQUENT_CHARS.startsWith('的一是')).toBe(true);
  });
});

describe('segmentation', () => {
  it('takes the longest valid syllable first', () => {
    expect(spelt('xian')).toBe('xian');
    expect(spelt('zhangsan')).toBe("zhang'san");
    expect(spelt('shebao')).toBe("she'bao");
    expect(spelt('zhongguo')).toBe("zhong'guo");
    expect(spelt('fangan')).toBe("fang'an");
  });

  it('backtracks when the longest syllable leaves letters that do not parse', () => {
    // Greedy "fang" would leave "u", which starts no syllable: fan + gu parses whole.
    expect(spelt('fangu')).toBe("fan'gu");
    expect(spelt('jianu')).toBe("jia'nu");
    expect(spelt('zhuangu')).toBe("zhuan'gu");
    expect(spelt('tiane')).toBe("tian'e");
  });

  it('keeps initials and cut-short syllables as incomplete pieces', () => {
    expect(ime.segment('sb')).toEqual([
      { text: 's', complete: false, end: 1 },
      { text: 'b', complete: false, end: 2 },
    ]);
    expect(ime.segment('zhangs').map((p) => p.complete)).toEqual([true, false]);
    expect(spelt('zhangs')).toBe("zhang's");
  });

  it("honours a typed ' as a syllable break and counts it in the offsets", () => {
    expect(spelt("xi'an")).toBe("xi'an");
    expect(ime.segment("xi'an")).toEqual([
      { text: 'xi', complete: true, end: 2 },
      { text: 'an', complete: true, end: 5 },
    ]);
  });

  it('shows v as ü after n and l', () => {
    expect(spelt('nv')).toBe('nü');
    expect(spelt('lvse')).toBe("lü'se");
  });

  it('keeps letters no syllable starts with as their own piece', () => {
    expect(ime.segment('i')).toEqual([{ text: 'i', complete: false, end: 1 }]);
  });
});

describe('candidates', () => {
  it('offers the whole-buffer phrase first', () => {
    expect(first('shebao')).toEqual({ text: '社保', consumed: 6, kind: 'phrase' });
    expect(first('tuixiu')?.text).toBe('退休');
    expect(first('yinhang')?.text).toBe('银行');
    expect(first('xixianxinqu')?.text).toBe('西咸新区');
    expect(first('fengdong')?.text).toBe('沣东');
    expect(texts('shanxi')).toEqual(expect.arrayContaining(['陕西', '山西']));
  });

  it('offers both readings of xian: 西安 and the characters of xian', () => {
    const list = texts('xian', 20);
    expect(list[0]).toBe('西安');
    expect(list).toEqual(expect.arrayContaining(['先', '现', '县', '线']));
  });

  it('matches initials-only and mixed abbreviations against the phrase list', () => {
    expect(first('sb')).toEqual({ text: '社保', consumed: 2, kind: 'phrase' });
    expect(first('sheb')?.text).toBe('社保');
    expect(first('yyzz')?.text).toBe('营业执照');
    expect(first('gjj')?.text).toBe('公积金');
    expect(first('xa')?.text).toBe('西安');
    // Longer phrases the initials begin come after the exact ones.
    const sb = texts('sb', 6);
    expect(sb.indexOf('社保卡')).toBeGreaterThan(sb.indexOf('社保'));
  });

  it('ranks a whole syllable’s characters before phrases it could abbreviate', () => {
    // "sha" is a syllable of its own: 沙, 杀 … before 上海 (s + ha…).
    const list = texts('sha', 40);
    expect(list[0]).not.toBe('上海');
    expect(list.indexOf('沙')).toBeLessThan(list.indexOf('上海'));
  });

  it('offers characters of the first syllable that convert only that syllable', () => {
    const zhang = ime.candidates('zhangsan').find((c) => c.text === '张');
    expect(zhang).toEqual({ text: '张', consumed: 5, kind: 'char' });
    expect(first('san')?.text).toBe('三');
    expect(first('de')?.text).toBe('的');
    expect(first('shi')?.text).toBe('是');
  });

  it('offers a phrase spelt by the first syllables, leaving the rest', () => {
    const list = ime.candidates('shebaoka');
    expect(list[0]).toEqual({ text: '社保卡', consumed: 8, kind: 'phrase' });
    expect(list).toContainEqual({ text: '社保', consumed: 6, kind: 'phrase' });
  });

  it('offers the most used characters of every syllable an initial starts', () => {
    expect(texts('s', 3)).toEqual(['是', '上', '说']);
    expect(texts('zh', 2)).toEqual(['这', '中']);
    expect(ime.candidates('s').every((c) => c.consumed === 1 && c.kind === 'char')).toBe(true);
  });

  it('types ü as v (and accepts lue/nue)', () => {
    expect(first('nv')?.text).toBe('女');
    expect(texts('lv')).toContain('绿');
    expect(texts('lvse')).toContain('绿');
    expect(first('lve')?.text).toBe('略');
    expect(first('lue')?.text).toBe('略');
  });

  it('puts heteronyms under their other readings too', () => {
    expect(texts('hang')).toContain('行');
    expect(texts('xing')).toContain('行');
  });

  it('has nothing to offer for an empty buffer or a letter no syllable starts with', () => {
    expect(ime.candidates('')).toEqual([]);
    expect(ime.candidates("'")).toEqual([]);
    expect(ime.candidates('v')).toEqual([]);
  });

  it('never offers the same candidate twice', () => {
    for (const buffer of ['xian', 'sb', 'shebaoka', 's', 'shanxi']) {
      const keys = ime.candidates(buffer).map((c) => `${c.text}/${c.consumed}`);
      expect(new Set(keys).size, buffer).toBe(keys.length);
    }
  });

  it('works from any dictionary (engine and data are separate)', () => {
    const tiny = createPinyinIme({
      syllableChars: { ni: '你|尼', hao: '好|号', a: '啊' },
      frequentChars: '你好',
      phrases: "你好 ni'hao\n",
    });
    expect(tiny.candidates('nihao').map((c) => c.text)).toEqual(['你好', '你', '尼']);
    expect(tiny.candidates('nh').map((c) => c.text)).toEqual(['你好', '你']);
  });
});

describe('paging', () => {
  const chars = (s: string): Candidate[] => [...s].map((text) => ({ text, consumed: 1, kind: 'char' }));

  it('fills a page with up to 8 characters', () => {
    const pages = paginate(chars('一二三四五六七八九十'));
    expect(pages.map((p) => p.length)).toEqual([8, 2]);
  });

  it('puts fewer long phrases on a page, but always at least one', () => {
    const phrases: Candidate[] = ['社会保险个人权益记录', '社保', '社保卡', '城乡居民养老保险参保登记'].map(
      (text) => ({
        text,
        consumed: 2,
        kind: 'phrase',
      }),
    );
    const pages = paginate(phrases, { maxItems: 8, maxChars: 14 });
    expect(pages.map((p) => p.map((c) => c.text))).toEqual([
      ['社会保险个人权益记录', '社保'],
      ['社保卡'],
      ['城乡居民养老保险参保登记'],
    ]);
  });

  it('pages through every candidate in order', () => {
    const list = ime.candidates('shi');
    const pages = paginate(list);
    expect(pages.length).toBeGreaterThan(2);
    expect(pages.flat()).toEqual(list);
    expect(pages.every((p) => p.length >= 1 && p.length <= 8)).toBe(true);
    expect(pages[0]?.length).toBe(8);
  });

  it('has no pages for no candidates', () => {
    expect(paginate([])).toEqual([]);
  });
});
