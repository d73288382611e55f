import { describe, expect, it } from 'vitest';
import {
  isPhoneNumber,
  isPostcode,
  isUnifiedSocialCreditCode,
  validateDelivery,
  validateField,
  validateForm,
} from './resident.js';
import type { FormField } from './catalog.js';

const field = (type: FormField['type'], extra: Partial<FormField> = {}): FormField => ({
  key: 'f',
  label: { zh: '字段', en: 'Field' },
  type,
  required: true,
  ...extra,
});

describe('form validation', () => {
  it('requires required fields and lets optional ones be empty', () => {
    expect(validateField(field('text'), '')).toBe('required');
    expect(validateField(field('text', { required: false }), '')).toBeNull();
  });

  it('checks ID numbers with the GB 11643 check character', () => {
    expect(validateField(field('id-number'), '11010519491231002X')).toBeNull();
    expect(validateField(field('id-number'), '110105194912310021')).toBe('id-number-checksum');
    expect(validateField(field('id-number'), '1101051949123100')).toBe('id-number-format');
  });

  it('checks phones, postcodes, dates and numbers', () => {
    expect(isPhoneNumber('13800138000')).toBe(true);
    expect(isPhoneNumber('029-88886666')).toBe(true);
    expect(isPhoneNumber('12800138000')).toBe(false);
    expect(isPhoneNumber('1380013800')).toBe(false);
    expect(isPostcode('710061')).toBe(true);
    expect(isPostcode('010061')).toBe(false);
    expect(validateField(field('date'), '2026-02-29')).toBe('date');
    expect(validateField(field('date'), '2028-02-29')).toBeNull();
    expect(validateField(field('number'), '12.5')).toBeNull();
    expect(validateField(field('number'), '-3')).toBe('number');
  });

  it('checks what the catalog input kind allows: integers, digits, codes', () => {
    expect(validateField(field('number'), '89.56')).toBeNull();
    expect(validateField(field('number', { input: 'integer' }), '3')).toBeNull();
    expect(validateField(field('number', { input: 'integer' }), '3.5')).toBe('integer');
    expect(validateField(field('text', { input: 'digits' }), '6222021234567890123')).toBeNull();
    expect(validateField(field('text', { input: 'digits' }), '6222 0212')).toBe('digits');
    expect(validateField(field('text', { input: 'code' }), '2024-610000-47-01-000123')).toBeNull();
    expect(validateField(field('text', { input: 'code' }), '2024-ab')).toBe('code');
    expect(
      validateField(field('text', { input: 'text' }), '陕（2024）西咸新区不动产权第0001234号'),
    ).toBeNull();
  });

  it('checks the unified social credit code (GB 32100) check character', () => {
    expect(isUnifiedSocialCreditCode('91350100M000100Y43')).toBe(true);
    expect(isUnifiedSocialCreditCode('91350100M000100Y44')).toBe(false);
    expect(isUnifiedSocialCreditCode('91350100M000100Y4')).toBe(false);
  });

  it('counts characters, not UTF-16 units, against the length limit', () => {
    expect(validateField(field('name', { maxLength: 2 }), '𠮷祥')).toBeNull();
    expect(validateField(field('name', { maxLength: 2 }), '𠮷祥林')).toBe('too-long');
    expect(validateField(field('name'), '阿卜杜·热合曼')).toBeNull();
    expect(validateField(field('name'), '张3')).toBe('name');
  });

  it('only accepts listed options for selects', () => {
    const f = field('select', {
      options: [
        { value: 'a', label: { zh: '甲', en: 'A' } },
        { value: 'b', label: { zh: '乙', en: 'B' } },
      ],
    });
    expect(validateField(f, 'a')).toBeNull();
    expect(validateField(f, 'c')).toBe('option');
  });

  it('reports every wrong field of a form by key', () => {
    const fields = [
      field('phone', { key: 'phone' }),
      field('postcode', { key: 'zip' }),
      field('text', { key: 'note', required: false }),
    ];
    expect(validateForm(fields, { phone: '123', zip: ' 710061 ' })).toEqual([
      { key: 'phone', problem: 'phone' },
    ]);
  });
});

describe('delivery', () => {
  it('needs a recipient, phone, a full address and a postcode for EMS', () => {
    expect(validateDelivery({ method: 'pickup' })).toEqual([]);
    expect(
      validateDelivery({
        method: 'ems',
        recipient: '',
        phone: '1380013800',
        address: '西安市',
        postcode: '71006',
      }),
    ).toEqual([
      { key: 'recipient', problem: 'required' },
      { key: 'phone', problem: 'phone' },
      { key: 'address', problem: 'too-short' },
      { key: 'postcode', problem: 'postcode' },
    ]);
    expect(
      validateDelivery({
        method: 'ems',
        recipient: '李秀英',
        phone: '13800138000',
        address: '陕西省西安市雁塔区示例路1号',
        postcode: '710061',
      }),
    ).toEqual([]);
  });
});
