/**
 * Cards for the simulator: what the dev panel, e2e tests and `sim:?card=…` put on the reader.
 * Field values are written to the text block as given (after turning YYYY-MM-DD into the card's
 * YYYYMMDD, a sex word into its code and a nation name into its code), so a test can also put a
 * broken card on the reader — a wrong check character, an unknown code, a bad date — and see the
 * kiosk report it as invalid. The sample people below are fictional.
 */
import { z } from 'zod';
import { err, ok, type Result } from '../result.js';
import { nationCode, SEXES, sexCode, type Sex } from './codes.js';
import { EXTRA_ADDRESS_LENGTH, PHOTO_LENGTH } from './protocol.js';
import { encodeTextBlock, splitEnglishName } from './text-block.js';
import { encodeField } from './utf16.js';

const s = z.string().max(200);
const photo = z.instanceof(Uint8Array).optional();

export const simCardSchema = z.discriminatedUnion('cardType', [
  z.object({
    cardType: z.literal('resident'),
    name: s,
    /** 'male' | 'female' | 'unknown' | 'not-stated', or a raw code character. */
    sex: s,
    /** Code ("01") or name ("汉"); anything else is written raw. */
    nation: s,
    birthDate: s,
    address: s,
    idNumber: s,
    authority: s,
    validFrom: s,
    /** YYYY-MM-DD or 长期. */
    validTo: s,
    extraAddress: s.optional(),
    photo,
  }),
  z.object({
    cardType: z.literal('hmt'),
    name: s,
    sex: s,
    birthDate: s,
    address: s,
    idNumber: s,
    authority: s,
    validFrom: s,
    validTo: s,
    passNumber: s,
    issueCount: z.union([z.number().int().min(0).max(99), s]),
    extraAddress: s.optional(),
    photo,
  }),
  z.object({
    cardType: z.literal('foreign2017'),
    englishName: s,
    chineseName: s.optional(),
    sex: s,
    nationality: s,
    birthDate: s,
    idNumber: s,
    authorityCode: s,
    cardVersion: s,
    validFrom: s,
    validTo: s,
    photo,
  }),
  z.object({
    cardType: z.literal('foreign2023'),
    chineseName: s.optional(),
    englishName: s,
    sex: s,
    nationality: s,
    birthDate: s,
    idNumber: s,
    authority: s,
    renewalCount: z.union([z.number().int().min(0).max(99), s]),
    validFrom: s,
    validTo: s,
    photo,
  }),
]);
export type SimCard = z.infer<typeof simCardSchema>;

export type EncodedCard = { text: Uint8Array; photo: Uint8Array; extraAddress: Uint8Array | null };

const cardDate = (v: string): string => (/^\d{4}-\d{2}-\d{2}$/.test(v) ? v.replaceAll('-', '') : v);
const cardSex = (v: string): string => ((SEXES as readonly string[]).includes(v) ? sexCode(v as Sex) : v);
const count = (v: number | string): string => (typeof v === 'number' ? String(v).padStart(2, '0') : v);

/** A stand-in for WLT bytes: deterministic noise, so two cards' photos differ. Not a real WLT image. */
function placeholderPhoto(seedText: string): Uint8Array {
  let x = 2166136261;
  for (let i = 0; i < seedText.length; i++) x = Math.imul(x ^ seedText.charCodeAt(i), 16777619) >>> 0;
  const out = new Uint8Array(PHOTO_LENGTH);
  for (let i = 0; i < out.length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

export function encodeSimCard(card: SimCard): Result<EncodedCard, string> {
  let text: Result<Uint8Array, { field: string; problem: string }>;
  switch (card.cardType) {
    case 'resident':
      text = encodeTextBlock('resident', {
        name: card.name,
        sex: cardSex(card.sex),
        nation: nationCode(card.nation) ?? card.nation,
        birthDate: cardDate(card.birthDate),
        address: card.address,
        idNumber: card.idNumber,
        authority: card.authority,
        validFrom: cardDate(card.validFrom),
        validTo: cardDate(card.validTo),
      });
      break;
    case 'hmt':
      text = encodeTextBlock('hmt', {
        name: card.name,
        sex: cardSex(card.sex),
        birthDate: cardDate(card.birthDate),
        address: card.address,
        idNumber: card.idNumber,
        authority: card.authority,
        validFrom: cardDate(card.validFrom),
        validTo: cardDate(card.validTo),
        passNumber: card.passNumber,
        issueCount: count(card.issueCount),
      });
      break;
    case 'foreign2017':
      text = encodeTextBlock('foreign2017', {
        englishName: card.englishName,
        sex: cardSex(card.sex),
        idNumber: card.idNumber,
        nationality: card.nationality,
        chineseName: card.chineseName ?? '',
        validFrom: cardDate(card.validFrom),
        validTo: cardDate(card.validTo),
        birthDate: cardDate(card.birthDate),
        cardVersion: card.cardVersion,
        authorityCode: card.authorityCode,
      });
      break;
    case 'foreign2023':
      text = encodeTextBlock('foreign2023', {
        chineseName: card.chineseName ?? '',
        sex: cardSex(card.sex),
        renewalCount: count(card.renewalCount),
        birthDate: cardDate(card.birthDate),
        ...splitEnglishName(card.englishName),
        idNumber: card.idNumber,
        authority: card.authority,
        validFrom: cardDate(card.validFrom),
        validTo: cardDate(card.validTo),
        nationality: card.nationality,
      });
      break;
    default: {
      const never: never = card;
      throw new Error(`unreachable card ${JSON.stringify(never)}`);
    }
  }
  if (!text.ok) return err(`field ${text.error.field} does not fit the card (${text.error.problem})`);

  let extraAddress: Uint8Array | null = null;
  if ((card.cardType === 'resident' || card.cardType === 'hmt') && card.extraAddress !== undefined) {
    const encoded = encodeField(card.extraAddress, EXTRA_ADDRESS_LENGTH);
    if (!encoded.ok) return err(`field extraAddress does not fit the card (${encoded.error})`);
    extraAddress = encoded.value;
  }
  if (card.photo !== undefined && card.photo.length !== PHOTO_LENGTH)
    return err(`photo must be ${PHOTO_LENGTH} bytes of WLT data`);
  return ok({ text: text.value, photo: card.photo ?? placeholderPhoto(card.idNumber), extraAddress });
}

/** Fictional people, one per card type, with valid GB 11643 numbers. */
export const SAMPLE_CARDS = {
  resident: {
    cardType: 'resident',
    name: '李秀英',
    sex: 'female',
    nation: '汉',
    birthDate: '1949-12-31',
    address: '北京市朝阳区示例路1号院2号楼301',
    idNumber: '11010519491231002X',
    authority: '北京市公安局朝阳分局',
    validFrom: '2009-05-12',
    validTo: '长期',
  },
  /** A second resident: the helper (代办人) of the 帮办代办 tests. */
  helper: {
    cardType: 'resident',
    name: '王建国',
    sex: 'male',
    nation: '汉',
    birthDate: '1985-06-15',
    address: '陕西省西安市雁塔区示例路88号3号楼2单元501室',
    idNumber: '610113198506151234',
    authority: '西安市公安局雁塔分局',
    validFrom: '2016-08-01',
    validTo: '2036-08-01',
  },
  /** A name outside the BMP: 𠮷 is U+20BB7, a surrogate pair in UTF-16. */
  'resident-rare-name': {
    cardType: 'resident',
    name: '𠮷祥',
    sex: 'male',
    nation: '壮',
    birthDate: '1990-01-01',
    address: '广东省深圳市南山区示例大道100号',
    idNumber: '44030519900101123X',
    authority: '深圳市公安局南山分局',
    validFrom: '2015-03-02',
    validTo: '2035-03-02',
    extraAddress: '广东省深圳市福田区示例街5号',
  },
  hmt: {
    cardType: 'hmt',
    name: '陈嘉欣',
    sex: 'female',
    birthDate: '1994-08-23',
    address: '广东省珠海市香洲区示例路9号',
    idNumber: '810000199408230021',
    authority: '珠海市公安局',
    validFrom: '2019-09-01',
    validTo: '2024-09-01',
    passNumber: 'H60000001',
    issueCount: 1,
  },
  foreign2017: {
    cardType: 'foreign2017',
    englishName: 'SMITH, JOHN ROBERT',
    chineseName: '史密斯',
    sex: 'male',
    nationality: 'GBR',
    birthDate: '1965-08-09',
    idNumber: 'GBR110065080901',
    authorityCode: '1500',
    cardVersion: '17',
    validFrom: '2017-06-01',
    validTo: '2027-06-01',
  },
  foreign2023: {
    cardType: 'foreign2023',
    chineseName: '玛丽亚',
    englishName: 'GONZALEZ LOPEZ DE LA CRUZ, MARIA ISABEL',
    sex: 'female',
    nationality: 'ESP',
    birthDate: '1988-03-15',
    idNumber: '931724198803150016',
    authority: '国家移民管理局',
    renewalCount: 0,
    validFrom: '2023-12-01',
    validTo: '2033-12-01',
  },
} as const satisfies Record<string, SimCard>;

export type SampleCardName = keyof typeof SAMPLE_CARDS;

export function isSampleCardName(name: string): name is SampleCardName {
  return Object.prototype.hasOwnProperty.call(SAMPLE_CARDS, name);
}
