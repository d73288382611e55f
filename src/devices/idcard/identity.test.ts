import { describe, expect, it } from 'vitest';
import { NATIONS } from './codes.js';
import { parseIdentity, type IdentityRecord, type InvalidCard } from './identity.js';
import { encodeSimCard, SAMPLE_CARDS, type SimCard } from './sim-card.js';
import { decodeTextBlock, encodeTextBlock, LAYOUTS } from './text-block.js';
import { encodeField } from './utf16.js';

function readBack(card: SimCard) {
  const encoded = encodeSimCard(card);
  if (!encoded.ok) throw new Error(encoded.error);
  return parseIdentity(decodeTextBlock(encoded.value.text));
}

function valid(card: SimCard): IdentityRecord {
  const r = readBack(card);
  if (!r.ok) throw new Error(`expected a valid card, got ${JSON.stringify(r.error)}`);
  return r.value;
}

function invalid(card: SimCard): InvalidCard {
  const r = readBack(card);
  if (r.ok) throw new Error('expected an invalid card');
  return r.error;
}

describe('text block → identity record, all four card types', () => {
  it('resident ID with 长期 validity', () => {
    expect(valid(SAMPLE_CARDS.resident)).toEqual({
      cardType: 'resident',
      name: '李秀英',
      sex: 'female',
      nation: '汉',
      nationCode: '01',
      birthDate: '1949-12-31',
      address: '北京市朝阳区示例路1号院2号楼301',
      idNumber: '11010519491231002X',
      authority: '北京市公安局朝阳分局',
      validFrom: '2009-05-12',
      validTo: '长期',
    });
  });

  it('a name outside the BMP (𠮷 U+20BB7) survives as one character', () => {
    const r = valid(SAMPLE_CARDS['resident-rare-name']);
    expect(r.name).toBe('𠮷祥');
    expect([...r.name]).toHaveLength(2);
    expect(r.name.codePointAt(0)).toBe(0x20bb7);
    expect(r).toMatchObject({ sex: 'male', nation: '壮', nationCode: '08', validTo: '2035-03-02' });
  });

  it('the raw bytes of 𠮷 are the surrogate pair D842 DFB7, little-endian', () => {
    const block = encodeTextBlock('resident', { name: '𠮷' });
    if (!block.ok) throw new Error('encode');
    expect([...block.value.subarray(0, 6)]).toEqual([0x42, 0xd8, 0xb7, 0xdf, 0x20, 0x00]);
  });

  it('Hong Kong/Macau/Taiwan residence permit (J)', () => {
    expect(valid(SAMPLE_CARDS.hmt)).toEqual({
      cardType: 'hmt',
      name: '陈嘉欣',
      sex: 'female',
      nation: null,
      birthDate: '1994-08-23',
      address: '广东省珠海市香洲区示例路9号',
      idNumber: '810000199408230021',
      authority: '珠海市公安局',
      validFrom: '2019-09-01',
      validTo: '2024-09-01',
      region: 'hong-kong',
      passNumber: 'H60000001',
      issueCount: 1,
    });
  });

  it('2017 foreign permanent-resident card (I)', () => {
    expect(valid(SAMPLE_CARDS.foreign2017)).toEqual({
      cardType: 'foreign2017',
      name: '史密斯',
      sex: 'male',
      nation: null,
      birthDate: '1965-08-09',
      address: null,
      idNumber: 'GBR110065080901',
      authority: '1500',
      validFrom: '2017-06-01',
      validTo: '2027-06-01',
      chineseName: '史密斯',
      englishName: 'SMITH, JOHN ROBERT',
      nationality: 'GBR',
      authorityCode: '1500',
      cardVersion: '17',
    });
  });

  it('2023 foreign permanent-resident card (Y) joins the split English name', () => {
    const r = valid(SAMPLE_CARDS.foreign2023);
    expect(r).toEqual({
      cardType: 'foreign2023',
      name: '玛丽亚',
      sex: 'female',
      nation: null,
      birthDate: '1988-03-15',
      address: null,
      idNumber: '931724198803150016',
      authority: '国家移民管理局',
      validFrom: '2023-12-01',
      validTo: '2033-12-01',
      chineseName: '玛丽亚',
      englishName: 'GONZALEZ LOPEZ DE LA CRUZ, MARIA ISABEL',
      nationality: 'ESP',
      renewalCount: 0,
    });
  });

  it('a 2023 English name with a space exactly at the split keeps it', () => {
    const name = `${'A'.repeat(34)} BCDEF`; // character 35 (index 34) is the space
    expect(valid({ ...SAMPLE_CARDS.foreign2023, englishName: name })).toMatchObject({ englishName: name });
  });

  it('foreign cards without a Chinese name fall back to the English name', () => {
    const { chineseName: _unused, ...noChinese } = SAMPLE_CARDS.foreign2017;
    const r = valid(noChinese);
    expect(r).toMatchObject({ name: 'SMITH, JOHN ROBERT', chineseName: null });
  });

  it('every nation code in the table decodes', () => {
    for (const [code, name] of Object.entries(NATIONS)) {
      expect(valid({ ...SAMPLE_CARDS.resident, nation: code })).toMatchObject({
        nation: name,
        nationCode: code,
      });
    }
  });

  it('sex codes 0 and 9 are accepted without a parity check', () => {
    expect(valid({ ...SAMPLE_CARDS.resident, sex: '0' }).sex).toBe('unknown');
    expect(valid({ ...SAMPLE_CARDS.resident, sex: '9' }).sex).toBe('not-stated');
  });

  it('the marker at 248 selects the layout; anything else is resident', () => {
    const block = encodeTextBlock('hmt', { name: 'x' });
    if (!block.ok) throw new Error('encode');
    expect(decodeTextBlock(block.value).cardType).toBe('hmt');
    block.value[248] = 'Q'.charCodeAt(0);
    expect(decodeTextBlock(block.value).cardType).toBe('resident');
  });
});

describe('invalid cards are values naming fields and problems, never values', () => {
  it('GB 11643 check failure', () => {
    const bad = invalid({ ...SAMPLE_CARDS.resident, idNumber: '110105194912310021' });
    expect(bad).toEqual({ cardType: 'resident', problems: [{ field: 'idNumber', problem: 'checksum' }] });
    expect(JSON.stringify(bad)).not.toContain('110105');
  });

  it('birth date and sex must agree with the ID number', () => {
    expect(invalid({ ...SAMPLE_CARDS.resident, birthDate: '1949-12-30' }).problems).toEqual([
      { field: 'birthDate', problem: 'birth-date-mismatch' },
    ]);
    expect(invalid({ ...SAMPLE_CARDS.resident, sex: 'male' }).problems).toEqual([
      { field: 'sex', problem: 'sex-mismatch' },
    ]);
  });

  it('unknown nation and sex codes', () => {
    expect(invalid({ ...SAMPLE_CARDS.resident, nation: '57' }).problems).toEqual([
      { field: 'nation', problem: 'unknown-code' },
    ]);
    expect(invalid({ ...SAMPLE_CARDS.resident, sex: '3' }).problems).toEqual([
      { field: 'sex', problem: 'unknown-code' },
    ]);
  });

  it('impossible and malformed dates', () => {
    expect(invalid({ ...SAMPLE_CARDS.resident, validFrom: '2009-02-30' }).problems).toEqual([
      { field: 'validFrom', problem: 'bad-date' },
    ]);
    expect(invalid({ ...SAMPLE_CARDS.resident, validTo: '永久' }).problems).toEqual([
      { field: 'validTo', problem: 'bad-date' },
    ]);
    expect(invalid({ ...SAMPLE_CARDS['resident-rare-name'], validTo: '2015-03-01' }).problems).toEqual([
      { field: 'validTo', problem: 'validity-order' },
    ]);
  });

  it('empty required fields', () => {
    expect(invalid({ ...SAMPLE_CARDS.resident, name: '' }).problems).toEqual([
      { field: 'name', problem: 'empty' },
    ]);
    expect(invalid({ ...SAMPLE_CARDS.resident, address: '' }).problems).toEqual([
      { field: 'address', problem: 'empty' },
    ]);
  });

  it('ID number prefixes must match the card type', () => {
    expect(
      invalid({ ...SAMPLE_CARDS.hmt, idNumber: SAMPLE_CARDS.resident.idNumber, birthDate: '1949-12-31' })
        .problems,
    ).toEqual([{ field: 'idNumber', problem: 'bad-prefix' }]);
    expect(
      invalid({ ...SAMPLE_CARDS.resident, idNumber: SAMPLE_CARDS.hmt.idNumber, birthDate: '1994-08-23' })
        .problems,
    ).toEqual([{ field: 'idNumber', problem: 'bad-prefix' }]);
    expect(invalid({ ...SAMPLE_CARDS.foreign2023, idNumber: '11010519491231002X' }).problems).toEqual([
      { field: 'idNumber', problem: 'bad-prefix' },
    ]);
    expect(invalid({ ...SAMPLE_CARDS.foreign2017, idNumber: 'GB1110065080901' }).problems).toEqual([
      { field: 'idNumber', problem: 'format' },
    ]);
  });

  it('a lone surrogate is a bad encoding, not a character', () => {
    const encoded = encodeSimCard(SAMPLE_CARDS.resident);
    if (!encoded.ok) throw new Error(encoded.error);
    const block = encoded.value.text.slice();
    block.set([0x42, 0xd8, 0x20, 0x00], 0); // high surrogate followed by a space
    const r = parseIdentity(decodeTextBlock(block));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.problems).toEqual([{ field: 'name', problem: 'bad-encoding' }]);
  });

  it('control characters in text are refused', () => {
    expect(invalid({ ...SAMPLE_CARDS.resident, authority: '北京\u0007' }).problems).toEqual([
      { field: 'authority', problem: 'format' },
    ]);
  });
});

describe('encoding refuses what does not fit', () => {
  it('a 16-character name does not fit 30 bytes', () => {
    expect(encodeSimCard({ ...SAMPLE_CARDS.resident, name: '一二三四五六七八九十一二三四五六' }).ok).toBe(
      false,
    );
    expect(encodeSimCard({ ...SAMPLE_CARDS.resident, name: '一二三四五六七八九十一二三四五' }).ok).toBe(true);
  });

  it('a surrogate pair is never split at the field end', () => {
    // 14 BMP characters + 𠮷 = 16 code units = 32 bytes > 30.
    expect(encodeField('一二三四五六七八九十一二三四𠮷', LAYOUTS.resident.name[1]).ok).toBe(false);
    expect(encodeField('\ud842', 30).ok).toBe(false);
  });
});
