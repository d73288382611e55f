import { describe, expect, it } from 'vitest';
import { textColumns } from './gb18030.js';
import { pairLines, wrapHanging, wrapText } from './layout.js';

describe('width-aware wrapping', () => {
  it('breaks CJK text anywhere, counting two columns per character', () => {
    const lines = wrapText('一二三四五六七八九十', 8);
    expect(lines).toEqual(['一二三四', '五六七八', '九十']);
  });

  it('keeps English words whole and drops the space at the break', () => {
    expect(wrapText('Please keep this receipt safe', 12)).toEqual(['Please keep', 'this receipt', 'safe']);
  });

  it('splits a word longer than the line', () => {
    expect(wrapText('https://example.gov.cn/p/1', 10)).toEqual(['https://ex', 'ample.gov.', 'cn/p/1']);
  });

  it('mixes CJK and ASCII without exceeding the width', () => {
    for (const cols of [16, 32, 48]) {
      for (const line of wrapText('请在 3 号窗口办理 business licence 营业执照（副本）', cols))
        expect(textColumns(line)).toBeLessThanOrEqual(cols);
    }
  });

  it('never starts a line with closing punctuation (行首禁则)', () => {
    const lines = wrapText('一二三四，五六', 8);
    expect(lines).toEqual(['一二三', '四，五六']);
    expect(lines.every((l) => !l.startsWith('，'))).toBe(true);
  });

  it('honours explicit line breaks', () => {
    expect(wrapText('一\n二', 32)).toEqual(['一', '二']);
  });

  it('wrapHanging indents continuation lines', () => {
    expect(wrapHanging('3. 一二三四五六七八', 10, 3)).toEqual(['3. 一二三', '   四五六', '   七八']);
  });
});

describe('pairLines (two-column label/value)', () => {
  it('right-aligns the value on the label line when both fit', () => {
    const [line] = pairLines('办件编号', 'XA0001', 32);
    expect(line).toBe(`办件编号${' '.repeat(32 - 8 - 6)}XA0001`);
    expect(textColumns(line!)).toBe(32);
  });

  it('keeps a long value beside a short label with a hanging indent', () => {
    const lines = pairLines('事项名称', '企业设立登记及公章刻制发票申领', 32);
    expect(lines[0]!.startsWith('事项名称 企业')).toBe(true);
    expect(lines[1]!.startsWith(' '.repeat(9))).toBe(true);
    expect(lines.every((l) => textColumns(l) <= 32)).toBe(true);
  });

  it('puts the value on the last line of a long label, or on its own line right-aligned', () => {
    const a = pairLines('1. 建设工程规划许可证申请表（加盖公章）', '12 页', 32, 3);
    expect(a[a.length - 1]!.endsWith('12 页')).toBe(true);
    expect(a[1]!.startsWith('   ')).toBe(true);
    const b = pairLines('1. 建设工程规划许可证申请表一式两份及附件材料清单', '已调用电子证照', 32);
    expect(b[b.length - 1]).toBe(`${' '.repeat(32 - 14)}已调用电子证照`);
    for (const l of [...a, ...b]) expect(textColumns(l)).toBeLessThanOrEqual(32);
  });
});
