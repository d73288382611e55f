import { describe, expect, it } from 'vitest';
import { createDeskI18n, deskTextOf } from './desk-i18n.js';
import {
  actionDetailText,
  actionDoneText,
  caseEventLine,
  caseLabel,
  fieldValueText,
  formFieldLabel,
  materialLabel,
  problemMessage,
  problemWords,
  readableKey,
} from './case-detail-text.js';
import { messageText } from './desk.js';

const i18n = createDeskI18n();
const zh = deskTextOf(i18n, 'zh-CN');
const en = deskTextOf(i18n, 'en');
const names = { jczm: { zh: '解除或终止劳动关系证明', en: 'Proof of end of employment' } };
const TZ = 'Asia/Shanghai';
const CJK = /[\u4e00-\u9fff]/u;

describe('the case detail in words', () => {
  it('names a case by its 受理编号, never its UUID (the start of the id when there is none)', () => {
    const id = '3f2b8c1e-0000-4000-8000-000000000001';
    expect(caseLabel({ id, receiptNo: 'ZZ01-20260302-0077' })).toBe('ZZ01-20260302-0077');
    expect(caseLabel({ id, receiptNo: null })).toBe('3f2b8c1e');
  });

  it('says what an action did in the language shown, with the 受理编号', () => {
    const c = { id: '3f2b8c1e-0000-4000-8000-000000000001', receiptNo: 'ZZ01-20260302-0077' };
    const english = actionDoneText(c, 'request-correction', 'correction-requested', en, 'en');
    expect(english).toMatch(/^Done for ZZ01-20260302-0077: .+ → .+$/);
    expect(english).not.toMatch(CJK);
    expect(english).not.toContain(c.id);
    const chinese = actionDoneText(c, 'request-correction', 'correction-requested', zh, 'zh-CN');
    expect(chinese).toBe('已办理 ZZ01-20260302-0077：补齐补正 → 需补齐补正');
  });

  it('labels form fields from the catalog, common keys from the copy, others readable and marked', () => {
    const catalog = { key: 'applicantName', label: { zh: '申请人姓名', en: 'Applicant name' } };
    expect(formFieldLabel(catalog, en, 'en')).toEqual({ text: 'Applicant name', known: true });
    expect(formFieldLabel(catalog, zh, 'zh-CN')).toEqual({ text: '申请人姓名', known: true });
    expect(formFieldLabel({ key: 'fullName', label: null }, zh, 'zh-CN')).toEqual({
      text: '姓名',
      known: false,
    });
    expect(formFieldLabel({ key: 'purpose', label: null }, en, 'en')).toEqual({
      text: 'Purpose',
      known: false,
    });
    expect(formFieldLabel({ key: 'lastEmployerName', label: null }, en, 'en')).toEqual({
      text: 'Last employer name',
      known: false,
    });
    // Not a key of the copy's object prototype.
    expect(formFieldLabel({ key: 'toString', label: null }, en, 'en')).toEqual({
      text: 'To string',
      known: false,
    });
  });

  it('makes keys readable', () => {
    expect(readableKey('fullName')).toBe('Full name');
    expect(readableKey('delivery.post_code')).toBe('Delivery post code');
    expect(readableKey('applicantIDNumber')).toBe('Applicant ID number');
    expect(readableKey('x')).toBe('X');
    expect(readableKey('')).toBe('');
  });

  it('names materials by the catalog in the language shown; an unknown code as written', () => {
    expect(materialLabel('jczm', names, 'zh-CN')).toBe('解除或终止劳动关系证明');
    expect(materialLabel('jczm', names, 'en')).toBe('Proof of end of employment');
    expect(materialLabel('户口簿', names, 'en')).toBe('户口簿');
  });

  it('writes history lines in either language', () => {
    const e = {
      at: '2026-03-02T01:00:00.000Z',
      staff: '王科员',
      action: 'request-correction',
      from: 'received',
      to: 'correction-requested',
      detail: { materials: ['jczm'], note: '请补交' },
    };
    expect(caseEventLine(e, TZ, names, zh, 'zh-CN')).toBe(
      '2026-03-02 09:00 王科员：补齐补正（大厅已收件 → 需补齐补正）；材料：解除或终止劳动关系证明；说明：请补交',
    );
    const line = caseEventLine(e, TZ, names, en, 'en');
    expect(line).toMatch(
      /^2026-03-02 09:00 王科员: .+ \(.+ → .+\); materials: Proof of end of employment; note: 请补交$/,
    );
    expect(line.replace('王科员', '').replace('请补交', '')).not.toMatch(CJK);
    expect(actionDetailText({}, names, en, 'en')).toBe('');
    expect(actionDetailText({ result: '准予', trackingNumber: 'EA1CN' }, names, en, 'en')).toBe(
      '; result: 准予; EMS: EA1CN',
    );
  });

  it('puts coded field values and times into words', () => {
    expect(fieldValueText('caseType', 'immediate', TZ, en)).toBe('Immediate case');
    expect(fieldValueText('delivery.method', 'ems', TZ, zh)).toBe('EMS 免费寄递');
    expect(fieldValueText('submittedAt', '2026-03-02T01:00:00.000Z', TZ, en)).toBe('2026-03-02 09:00');
    expect(fieldValueText('delivery.address', '西安市', TZ, en)).toBe('西安市');
  });
});

describe('a refusal in words', () => {
  it('says why in the language shown, never in the other', () => {
    const conflict = {
      kind: 'refused',
      status: 409,
      error: { error: 'conflict', message: 'x', from: 'completed' },
    } as const;
    expect(problemWords(conflict, zh, 'zh-CN')).toBe('当前状态（已办结）不允许此操作，请刷新后再试');
    const english = problemWords(conflict, en, 'en');
    expect(english).toMatch(/^Not allowed from the present status \(.+\); refresh and try again$/);
    expect(english).not.toMatch(CJK);
    expect(problemWords({ kind: 'refused', status: 404, error: null }, en, 'en')).toBe(
      'Not found, or not of your jurisdiction',
    );
    expect(
      problemWords({ kind: 'refused', status: 403, error: { error: 'forbidden', message: '' } }, zh, 'zh-CN'),
    ).toBe('您的角色无此权限');
    expect(
      problemWords({ kind: 'refused', status: 403, error: { error: 'csrf-refused', message: '' } }, en, 'en'),
    ).toBe('Refused: reload the page');
    expect(problemWords({ kind: 'refused', status: 500, error: null }, en, 'en')).toBe(
      'The hall refused (HTTP 500): —',
    );
    expect(problemWords({ kind: 'unreachable', message: 'ECONNREFUSED' }, en, 'en')).toBe(
      'The hall cannot be reached',
    );
    expect(problemWords({ kind: 'unauthenticated' }, zh, 'zh-CN')).toBe('登录已失效，请重新登录');
  });
});

describe('a refusal on the status line', () => {
  it('is put into words when shown, alone or in a sentence, the hall’s own message as it sent it', () => {
    const notFound = problemMessage({ kind: 'refused', status: 404, error: null });
    expect(messageText(notFound, zh, 'zh-CN')).toBe(
      problemWords({ kind: 'refused', status: 404, error: null }, zh, 'zh-CN'),
    );
    expect(messageText(notFound, en, 'en')).toBe('Not found, or not of your jurisdiction');
    const failed = problemMessage(
      { kind: 'refused', status: 500, error: { error: 'disk', message: '磁盘已满' } },
      'queue.notDone',
    );
    expect(messageText(failed, en, 'en')).toBe('Not done: The hall refused (HTTP 500): 磁盘已满');
    expect(messageText(failed, zh, 'zh-CN')).toMatch(/^操作未完成：.*磁盘已满$/u);
    expect(
      messageText(problemMessage({ kind: 'unreachable', message: 'x' }, 'status.refreshFailed'), en, 'en'),
    ).toBe('Refresh failed: The hall cannot be reached');
  });
});
