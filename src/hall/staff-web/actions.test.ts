import { describe, expect, it } from 'vitest';
import { allowedCaseActions, HALL_CASE_STATUSES } from '../../shared/case-status.js';
import { staffActionSchema as sharedStaffActionSchema } from '../../shared/wire/staff.js';
import { followupActionSchema } from '../followups.js';
import { staffActionSchema } from '../staff.js';
import { caseActionBody, followupActionBody, offeredCaseActions, splitMaterials } from './actions.js';

describe('which case actions the desk offers', () => {
  it('offers exactly what the shared lifecycle allows from each status', () => {
    for (const s of HALL_CASE_STATUSES) expect(offeredCaseActions(s)).toEqual(allowedCaseActions(s));
    expect(offeredCaseActions('received')).toEqual(['accept', 'refuse', 'request-correction']);
    expect(offeredCaseActions('accepted')).toEqual(['request-correction', 'complete']);
    expect(offeredCaseActions('completed')).toEqual([]);
    expect(offeredCaseActions('refused')).toEqual([]);
  });

  it('offers nothing for a status the hall does not hold', () => {
    expect(offeredCaseActions('submitted')).toEqual([]);
    expect(offeredCaseActions('lost-in-transit')).toEqual([]);
  });
});

describe('what a case action sends', () => {
  /** The hall accepts it (its own schema and the shared wire schema). */
  const valid = (body: unknown) => {
    expect(staffActionSchema.safeParse(body).success).toBe(true);
    expect(sharedStaffActionSchema.safeParse(body).success).toBe(true);
    return body;
  };

  it('受理 with or without a note', () => {
    expect(valid(caseActionBody('accept', { note: '  ' }))).toEqual({ action: 'accept' });
    expect(valid(caseActionBody('accept', { note: ' 材料齐全 ' }))).toEqual({
      action: 'accept',
      note: '材料齐全',
    });
  });

  it('不予受理 needs a reason', () => {
    expect(caseActionBody('refuse', { reason: ' ' })).toBeNull();
    expect(valid(caseActionBody('refuse', { reason: '不属于本辖区事项' }))).toEqual({
      action: 'refuse',
      reason: '不属于本辖区事项',
    });
  });

  it('补齐补正 takes the ticked materials plus the typed ones, and needs at least one', () => {
    expect(caseActionBody('request-correction', { materials: [], other: ' \n ', note: 'x' })).toBeNull();
    expect(
      valid(
        caseActionBody('request-correction', {
          materials: ['hkb'],
          other: '户口簿首页复印件\n结婚证，离婚协议；  ',
          note: '请补充户口簿',
        }),
      ),
    ).toEqual({
      action: 'request-correction',
      materials: ['hkb', '户口簿首页复印件', '结婚证', '离婚协议'],
      note: '请补充户口簿',
    });
    expect(caseActionBody('request-correction', { materials: ['sfz'] })).toEqual({
      action: 'request-correction',
      materials: ['sfz'],
    });
  });

  it('办结 needs the result; the EMS number is optional', () => {
    expect(caseActionBody('complete', { result: '', trackingNumber: 'EA123456789CN' })).toBeNull();
    expect(valid(caseActionBody('complete', { result: '准予许可', trackingNumber: ' ' }))).toEqual({
      action: 'complete',
      result: '准予许可',
    });
    expect(
      valid(caseActionBody('complete', { result: '准予许可', trackingNumber: 'EA123456789CN' })),
    ).toEqual({
      action: 'complete',
      result: '准予许可',
      trackingNumber: 'EA123456789CN',
    });
  });

  it('splits typed materials on lines, commas and semicolons', () => {
    expect(splitMaterials('a\nb, c，d;e；f\n\n')).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
    expect(splitMaterials('')).toEqual([]);
  });
});

describe('what a follow-up action sends', () => {
  const valid = (body: unknown) => {
    expect(followupActionSchema.safeParse(body).success).toBe(true);
    return body;
  };

  it('sends what the hall accepts, or null when something required is empty', () => {
    expect(valid(followupActionBody('start', {}))).toEqual({ action: 'start' });
    expect(valid(followupActionBody('start', { note: '已联系窗口' }))).toEqual({
      action: 'start',
      note: '已联系窗口',
    });
    expect(followupActionBody('request-extension', { days: 3, reason: '' })).toBeNull();
    expect(followupActionBody('request-extension', { reason: '等待回复' })).toBeNull();
    expect(valid(followupActionBody('request-extension', { days: 3, reason: '等待回复' }))).toEqual({
      action: 'request-extension',
      days: 3,
      reason: '等待回复',
    });
    expect(valid(followupActionBody('grant-extension', { days: 2 }))).toEqual({
      action: 'grant-extension',
      days: 2,
    });
    expect(valid(followupActionBody('grant-extension', {}))).toEqual({ action: 'grant-extension' });
    expect(followupActionBody('complete', { note: ' ' })).toBeNull();
    expect(valid(followupActionBody('complete', { note: '已整改' }))).toEqual({
      action: 'complete',
      note: '已整改',
    });
    for (const action of ['deny-extension', 'mark-invalid', 'cannot-fix'] as const) {
      expect(followupActionBody(action, {})).toBeNull();
      expect(valid(followupActionBody(action, { reason: '理由' }))).toEqual({ action, reason: '理由' });
    }
  });
});
