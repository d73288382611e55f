import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initI18n } from '../i18n/index.js';
import { zhCN } from '../i18n/zh-cn.js';
import {
  fieldErrorsPrompt,
  receiptPrompt,
  scanPrompt,
  spellReceiptNo,
  stepPrompt,
  translator,
  type Translate,
  type VoiceStep,
} from './voice-prompts.js';

const i18n = initI18n();
let zh: Translate;
let en: Translate;

beforeAll(async () => {
  await i18n.changeLanguage('en');
  en = translator(i18n.getFixedT('en'));
  zh = translator(i18n.getFixedT('zh-CN'));
});
afterAll(async () => {
  await i18n.changeLanguage('zh-CN');
});

const STEPS = Object.keys(zhCN.sessionFlow.voice.steps) as VoiceStep[];

describe('voice prompts', () => {
  it('say what to do on every step, not the step label, in both languages', () => {
    expect(STEPS).toHaveLength(9);
    for (const step of STEPS) {
      const label = zhCN.applyFlow.steps[step];
      for (const t of [zh, en]) {
        const said = stepPrompt(t, step);
        expect(said, step).not.toMatch(/^sessionFlow\./);
        expect(said, step).not.toBe(label);
      }
    }
    expect(stepPrompt(zh, 'form')).toContain('下一步');
    expect(stepPrompt(zh, 'identify')).toContain('身份证');
    expect(stepPrompt(en, 'materials')).toContain('tap “Scan”');
  });

  it('read the refused fields by label and problem, the first three and how many more', () => {
    const errors = [
      { label: '联系电话', problem: '请输入 11 位手机号码' },
      { label: '工作单位', problem: '此项必填' },
    ];
    expect(fieldErrorsPrompt(zh, errors)).toBe(
      '还不能继续，有 2 项需要修改。 联系电话：请输入 11 位手机号码。 工作单位：此项必填。',
    );
    expect(fieldErrorsPrompt(en, [{ label: 'Phone', problem: 'Enter 11 digits' }])).toBe(
      'You cannot go on yet: 1 thing needs correcting. Phone: Enter 11 digits.',
    );
    const five = Array.from({ length: 5 }, (_, i) => ({ label: `F${i}`, problem: 'x' }));
    const said = fieldErrorsPrompt(zh, five);
    expect(said).toContain('F2');
    expect(said).not.toContain('F3');
    expect(said).toContain('另有 2 项');
    expect(fieldErrorsPrompt(zh, [])).toBe('');
  });

  it('announce scanning, the pages scanned and a failure in words', () => {
    expect(scanPrompt(zh, { kind: 'scanning', material: '居民身份证' })).toBe(
      '正在扫描居民身份证，请不要移动材料',
    );
    expect(scanPrompt(zh, { kind: 'added', material: '居民身份证', from: 2, to: 2 })).toContain(
      '居民身份证第 2 页已扫描',
    );
    expect(scanPrompt(en, { kind: 'added', material: 'ID card', from: 1, to: 3 })).toContain(
      'ID card: pages 1 to 3 are scanned',
    );
    expect(scanPrompt(zh, { kind: 'failed', problem: '扫描仪卡纸了。' })).toBe(
      '扫描没有完成。扫描仪卡纸了。',
    );
  });

  it('spell the receipt number one character at a time, its parts apart', () => {
    expect(spellReceiptNo(zh, 'ZZ01-20261205-0001')).toBe('Z Z 零 一，二 零 二 六 一 二 零 五，零 零 零 一');
    expect(spellReceiptNo(en, 'zz01-20261205-0012')).toBe(
      'Z Z zero one, two zero two six one two zero five, zero zero one two',
    );
    const said = receiptPrompt(zh, ['ZZ01-20261205-0001', 'ZZ01-20261205-0002'], '请取走凭证');
    expect(said).toBe(
      '您的受理编号是：Z Z 零 一，二 零 二 六 一 二 零 五，零 零 零 一。 ' +
        '您的受理编号是：Z Z 零 一，二 零 二 六 一 二 零 五，零 零 零 二。 请取走凭证',
    );
    // Never the number as one long figure.
    expect(receiptPrompt(en, ['ZZ01-20261205-0001'], '')).not.toMatch(/\d{2}/);
  });
});
