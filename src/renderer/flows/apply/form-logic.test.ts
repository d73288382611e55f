import { describe, expect, it } from 'vitest';
import type { PlanField, PlanMaterial, Prefill } from '../../../shared/browser.js';
import {
  deliveryDefaults,
  deliveryErrors,
  EMPTY_DELIVERY,
  formatDateDigits,
  formErrors,
  isLocked,
  keyboardLimit,
  layoutsFor,
  upperFor,
  lockedValue,
  missingMaterials,
  normalizeInput,
  prefilledKeys,
  prefillValues,
  toDelivery,
} from './form-logic.js';

const L = (zh: string) => ({ zh, en: zh });
const field = (key: string, type: PlanField['type'], extra: Partial<PlanField> = {}): PlanField => ({
  key,
  label: L(key),
  type,
  required: true,
  items: ['x'],
  ...extra,
});

const FIELDS: PlanField[] = [
  field('applicantName', 'name', { prefill: 'name' }),
  field('applicantIdNumber', 'id-number', { prefill: 'idNumber' }),
  field('contactPhone', 'phone'),
  field('address', 'address', { prefill: 'address' }),
  field('separationDate', 'date'),
  field('sex', 'select', {
    prefill: 'sex',
    options: [
      { value: 'male', label: L('男') },
      { value: 'female', label: L('女') },
    ],
  }),
];
const PREFILL: Prefill = {
  values: {
    name: '李*英',
    idNumber: '1101**********002X',
    address: '北京市朝阳区示例路1号院2号楼301',
    sex: 'female',
  },
  locked: ['name', 'idNumber'],
};

describe('form logic', () => {
  it('picks the keyboard by field type', () => {
    expect(layoutsFor({ type: 'name' })).toEqual(['pinyin', 'letters']);
    expect(layoutsFor({ type: 'address' })).toEqual(['pinyin', 'letters']);
    expect(layoutsFor({ type: 'phone' })).toEqual(['phone']);
    expect(layoutsFor({ type: 'date' })).toEqual(['digits']);
    expect(layoutsFor({ type: 'postcode' })).toEqual(['digits']);
    expect(layoutsFor({ type: 'id-number' })).toEqual(['id-number']);
    expect(layoutsFor({ type: 'unified-social-credit-code' })).toEqual(['letters']);
    expect(upperFor({ type: 'unified-social-credit-code' })).toBe(true);
    // The catalog's input kind chooses the keys: 建筑面积 89.56, counts, bank accounts, project codes.
    expect(layoutsFor({ type: 'number' })).toEqual(['decimal']);
    expect(layoutsFor({ type: 'number', input: 'integer' })).toEqual(['digits']);
    expect(layoutsFor({ type: 'text', input: 'digits' })).toEqual(['digits']);
    expect(layoutsFor({ type: 'text', input: 'code' })).toEqual(['letters']);
    expect(upperFor({ type: 'text', input: 'code' })).toBe(true);
    expect(upperFor({ type: 'text' })).toBe(false);
    expect(normalizeInput({ type: 'text', input: 'code' }, '2024-ab')).toBe('2024-AB');
    expect(keyboardLimit({ type: 'phone' })).toBe(12);
    expect(keyboardLimit({ type: 'text', maxLength: 100 })).toBe(100);
  });

  it('formats a date from the digits typed', () => {
    expect(formatDateDigits('2026')).toBe('2026');
    expect(formatDateDigits('20261')).toBe('2026-1');
    expect(formatDateDigits('2026-10-31')).toBe('2026-10-31');
    expect(formatDateDigits('202610319')).toBe('2026-10-31');
    expect(normalizeInput({ type: 'date' }, '2026-10-3' + '1')).toBe('2026-10-31');
    expect(normalizeInput({ type: 'unified-social-credit-code' }, '91a')).toBe('91A');
    expect(normalizeInput({ type: 'text' }, 'abc')).toBe('abc');
  });

  it('locks name and ID number, and pre-fills the other card values once', () => {
    expect(isLocked(FIELDS[0]!, PREFILL)).toBe(true);
    expect(isLocked(FIELDS[3]!, PREFILL)).toBe(false);
    expect(lockedValue(FIELDS[0]!, PREFILL)).toBe('李*英');
    const v = prefillValues(FIELDS, PREFILL, {});
    expect(v).toEqual({ address: '北京市朝阳区示例路1号院2号楼301', sex: 'female' });
    expect(prefillValues(FIELDS, PREFILL, { address: '我改过的地址' }).address).toBe('我改过的地址');
    expect([...prefilledKeys(FIELDS, PREFILL)].sort()).toEqual(['address', 'sex']);
  });

  it('checks only what the resident fills in', () => {
    const errors = formErrors(
      FIELDS,
      { contactPhone: '12345', address: '某地', separationDate: '2026-02-30', sex: 'female' },
      PREFILL,
    );
    expect(errors).toEqual([
      { key: 'contactPhone', problem: 'phone' },
      { key: 'separationDate', problem: 'date' },
    ]);
    expect(
      formErrors(
        FIELDS,
        { contactPhone: '13800138000', address: '某地', separationDate: '2026-10-31', sex: 'female' },
        PREFILL,
      ),
    ).toEqual([]);
  });

  it('takes phone and address over into EMS delivery, never the masked name', () => {
    const d = deliveryDefaults(
      EMPTY_DELIVERY,
      FIELDS,
      { contactPhone: '13800138000', address: '陕西省西安市雁塔区示例路1号' },
      PREFILL,
      { ems: true, pickup: true },
    );
    expect(d).toEqual({
      method: null,
      sameAsApplicant: true,
      recipient: '',
      phone: '13800138000',
      address: '陕西省西安市雁塔区示例路1号',
      postcode: '',
    });
    expect(deliveryDefaults(EMPTY_DELIVERY, FIELDS, {}, PREFILL, { ems: false, pickup: true }).method).toBe(
      'pickup',
    );
    expect(
      deliveryDefaults(
        { ...EMPTY_DELIVERY, phone: '13900000000' },
        FIELDS,
        { contactPhone: '13800138000' },
        PREFILL,
        { ems: true, pickup: true },
      ).phone,
    ).toBe('13900000000');
    expect(toDelivery(EMPTY_DELIVERY)).toBeNull();
    expect(toDelivery({ ...EMPTY_DELIVERY, method: 'pickup', phone: '1' })).toEqual({ method: 'pickup' });
    expect(
      deliveryErrors({
        method: 'ems',
        sameAsApplicant: false,
        recipient: '李秀英',
        phone: '13800138000',
        address: '陕西省西安市',
        postcode: '710061',
      }),
    ).toEqual([]);
    expect(
      deliveryErrors({
        method: 'ems',
        sameAsApplicant: false,
        recipient: '',
        phone: '138',
        address: '西安',
        postcode: '71',
      }).map((e) => e.problem),
    ).toEqual(['required', 'phone', 'too-short', 'postcode']);
  });

  it('同申请人 sends no name, needs none typed, and a typed one only when unchecked', () => {
    const ems = {
      ...EMPTY_DELIVERY,
      method: 'ems' as const,
      recipient: '王五',
      phone: '13800138000',
      address: '陕西省西安市雁塔区示例路1号',
      postcode: '710061',
    };
    expect(toDelivery(ems)).toEqual({
      method: 'ems',
      recipientIsApplicant: true,
      recipient: '',
      phone: '13800138000',
      address: '陕西省西安市雁塔区示例路1号',
      postcode: '710061',
    });
    expect(deliveryErrors({ ...ems, recipient: '' })).toEqual([]);
    expect(toDelivery({ ...ems, sameAsApplicant: false })).toMatchObject({
      recipientIsApplicant: false,
      recipient: '王五',
    });
    expect(deliveryErrors({ ...ems, sameAsApplicant: false, recipient: '' })).toEqual([
      { key: 'recipient', problem: 'required' },
    ]);
  });

  it('lists the required materials still missing, except confirmed e-licences', () => {
    const m = (code: string, required: boolean, licence: PlanMaterial['licence']): PlanMaterial => ({
      code,
      name: L(code),
      requirements: L(''),
      required,
      licence,
      originals: 1,
      copies: 0,
      items: ['x'],
    });
    const materials = [
      m('sfz', true, 'confirmed'),
      m('jczm', true, 'not-applicable'),
      m('sbk', true, 'unconfirmed'),
      m('other', false, 'not-applicable'),
    ];
    const page = { sha256: 'a'.repeat(64), width: 1, height: 1, size: 1, thumb: '' };
    expect(missingMaterials(materials, {}).map((x) => x.code)).toEqual(['jczm', 'sbk']);
    expect(missingMaterials(materials, { sbk: [page] }).map((x) => x.code)).toEqual(['jczm']);
  });
});
