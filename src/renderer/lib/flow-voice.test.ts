import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initI18n } from '../i18n/index.js';
import {
  casePrompt,
  evaluationPrompt,
  findPrompt,
  lookupPrompt,
  queueChoosePrompt,
  sentences,
  ticketPrompt,
} from './flow-voice.js';
import { translator, type Translate } from './voice-prompts.js';

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

/** No key left untranslated (a missing resource reads back as its key). */
const resolved = (s: string) => expect(s).not.toMatch(/(sessionFlow|progressFlow|queueFlow|evaluateFlow)\./);

describe('flow voice: 进度查询, 排队取号, 服务评价', () => {
  it('says what to do on each screen of finding an application, not its title', () => {
    for (const t of [zh, en]) {
      for (const purpose of ['progress', 'evaluate'] as const) {
        const plain = findPrompt(t, { screen: 'choose', purpose, canScan: false });
        const withReader = findPrompt(t, { screen: 'choose', purpose, canScan: true });
        resolved(withReader);
        expect(withReader.startsWith(plain)).toBe(true);
        expect(withReader.length).toBeGreaterThan(plain.length);
      }
      resolved(findPrompt(t, { screen: 'receipt' }));
      resolved(findPrompt(t, { screen: 'identify' }));
    }
    expect(findPrompt(zh, { screen: 'choose', purpose: 'progress', canScan: false })).not.toBe(
      '请选择查询方式',
    );
    // No QR offer without a reader.
    expect(findPrompt(zh, { screen: 'choose', purpose: 'progress', canScan: false })).not.toContain('二维码');
    expect(findPrompt(zh, { screen: 'choose', purpose: 'evaluate', canScan: true })).toContain('二维码');
    expect(findPrompt(zh, { screen: 'receipt' })).toContain('“查询”');
    expect(findPrompt(en, { screen: 'receipt' })).toContain('“Search”');
    expect(findPrompt(zh, { screen: 'identify' })).toContain('读卡区');
  });

  it('says the status of a receipt alone and how to see more', () => {
    const v = { screen: 'unlock', item: '职工退休申请', status: '已受理' } as const;
    expect(findPrompt(zh, { ...v, hasAccessCode: true })).toBe(
      '职工退休申请，当前状态：已受理。要看详情，请输入凭证上的查询码后点“确认”，或点“改为刷身份证”',
    );
    expect(findPrompt(en, { ...v, hasAccessCode: false })).toContain('Use the ID card instead');
  });

  it('counts the applicant’s list, or says none was found', () => {
    expect(findPrompt(zh, { screen: 'list', purpose: 'progress', count: 2 })).toContain('找到 2 件办件');
    expect(findPrompt(en, { screen: 'list', purpose: 'progress', count: 1 })).toBe(
      '1 application found. Tap it to see its progress',
    );
    expect(findPrompt(zh, { screen: 'list', purpose: 'evaluate', count: 3 })).toContain('已评价过的不能再评');
    for (const purpose of ['progress', 'evaluate'] as const)
      expect(findPrompt(zh, { screen: 'list', purpose, count: 0 })).toContain('没有找到');
  });

  it('reads a refused search in words, never the typed value', () => {
    expect(lookupPrompt(zh, { kind: 'badFormat' })).toBe('受理编号格式不对。请核对凭证上的编号后重新输入');
    expect(lookupPrompt(en, { kind: 'notFound' })).toContain('No application has this receipt number');
    expect(lookupPrompt(zh, { kind: 'accessDenied', attemptsLeft: 2 })).toContain('还可尝试 2 次');
    expect(lookupPrompt(zh, { kind: 'accessDenied', attemptsLeft: 0 })).toContain('错误次数过多');
    expect(lookupPrompt(en, { kind: 'tooMany', seconds: 30 })).toContain('30');
    for (const kind of ['empty', 'foreignCode', 'failed', 'badCode', 'emptyCode', 'sessionExpired'] as const)
      for (const t of [zh, en]) resolved(lookupPrompt(t, { kind }));
  });

  it('says a case’s status in words with its receipt number spelled, and what to do now', () => {
    const c = {
      item: '职工退休申请',
      status: '需补正',
      explain: '大厅要求补交材料。',
      receiptNo: 'ZZ01-20261205-0001',
      correction: true,
      canEvaluate: true,
    };
    expect(casePrompt(zh, c)).toBe(
      '职工退休申请，当前状态：需补正。大厅要求补交材料。' +
        '您的受理编号是：Z Z 零 一，二 零 二 六 一 二 零 五，零 零 零 一。' +
        '大厅要求补交材料，请点“开始补正”，按提示扫描。' +
        '要重新打印凭证请点“重新打印凭证”，查看完了请点“完成”。还可以点“评价本次服务”。',
    );
    const plain = casePrompt(en, {
      ...c,
      status: 'Accepted',
      explain: 'Being handled.',
      correction: false,
      canEvaluate: false,
    });
    expect(plain).toContain('Your receipt number is: Z Z zero one, two zero two six');
    expect(plain).not.toContain('Provide the materials');
    expect(plain).not.toContain('Rate this service');
    expect(plain).not.toMatch(/\d/);
  });

  it('says which window to tap, or that none is open', () => {
    expect(queueChoosePrompt(zh, false)).toContain('点要去的窗口类别取号');
    expect(queueChoosePrompt(zh, true)).toContain('都不办公');
    expect(queueChoosePrompt(en, true)).toContain('Call for help');
  });

  it('says the ticket number one character at a time, the window and the printed ticket', () => {
    expect(ticketPrompt(zh, { number: 'PA003', window: '社会保障综合窗口', print: 'printed' })).toBe(
      '您的排队号是 P A 零 零 三，请到社会保障综合窗口等候叫号。排队小票已打印，请从出票口取走，留意叫号。',
    );
    const failed = ticketPrompt(en, { number: 'A023', window: 'Social security window', print: 'failed' });
    expect(failed).toContain('Your number is A zero two three');
    expect(failed).not.toContain('A023');
    resolved(ticketPrompt(en, { number: 'A023', window: 'x', print: 'pending' }));
  });

  it('asks for a level, then a reason for a bad one; reads the problems; thanks', () => {
    expect(evaluationPrompt(zh, { phase: 'level' })).toContain('点一项满意度');
    expect(evaluationPrompt(en, { phase: 'reason' })).toContain('Submit rating');
    expect(evaluationPrompt(zh, { phase: 'problems', problems: [] })).toBe('');
    expect(evaluationPrompt(zh, { phase: 'problems', problems: ['请选择或输入不满意的原因。'] })).toBe(
      '还不能继续，有 1 项需要修改。请选择或输入不满意的原因。',
    );
    expect(evaluationPrompt(zh, { phase: 'thanks' })).toBe('感谢您的评价！您的意见将帮助我们改进服务。');
    expect(evaluationPrompt(en, { phase: 'refused', message: 'Already rated.' })).toBe('Already rated.');
  });

  it('joins sentences with the language’s full stop', () => {
    expect(sentences(zh, ['请点“完成”', '谢谢。', ''])).toBe('请点“完成”。谢谢。');
    expect(sentences(en, ['Tap “Done”', 'Thanks!'])).toBe('Tap “Done”. Thanks!');
  });
});
