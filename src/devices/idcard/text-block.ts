/**
 * The 256-byte text block of a 30 01 read (docs/devices-idcard.md, the "Text block" sections): fixed-width
 * UTF-16LE fields whose layout depends on the card type marked at offset 248.
 *
 * Decoding only splits and decodes; judging the values (dates, codes, GB 11643) is identity.ts's job.
 * Encoding is the simulator's half: it refuses a value that does not fit rather than truncate it
 * (a truncated surrogate pair would be a different, corrupt card).
 */
import { err, ok, type Result } from '../result.js';
import { TEXT_LENGTH } from './protocol.js';
import { decodeField, decodeUtf16le, encodeField, trimPadding } from './utf16.js';

export type CardType = 'resident' | 'hmt' | 'foreign2017' | 'foreign2023';
export const CARD_TYPES: readonly CardType[] = ['resident', 'hmt', 'foreign2017', 'foreign2023'];

/** [offset, length in bytes] of each field, straight from the tables of docs/devices-idcard.md. */
const RESIDENT = {
  name: [0, 30],
  sex: [30, 2],
  nation: [32, 4],
  birthDate: [36, 16],
  address: [52, 70],
  idNumber: [122, 36],
  authority: [158, 30],
  validFrom: [188, 16],
  validTo: [204, 16],
} as const;

export const LAYOUTS = {
  resident: RESIDENT,
  /** `J`: same layout for 0–219; 220 pass number (18 bytes), 238 issue count (4 bytes). */
  hmt: { ...RESIDENT, passNumber: [220, 18], issueCount: [238, 4] },
  /** `I`: 2017 foreign permanent-resident card. */
  foreign2017: {
    englishName: [0, 120],
    sex: [120, 2],
    idNumber: [122, 30],
    nationality: [152, 6],
    chineseName: [158, 30],
    validFrom: [188, 16],
    validTo: [204, 16],
    birthDate: [220, 16],
    cardVersion: [236, 4],
    authorityCode: [240, 8],
  },
  /**
   * `Y`: 2023 foreign permanent-resident card. The English name is split: part 1 at 52 (70 bytes),
   * part 2 at 220 (22 bytes). The protocol reference leaves 158–187 unnamed; it sits where every other
   * layout keeps the issuing authority, so it is read as the authority (docs/devices-idcard.md, "Text
   * block details and inferences").
   */
  foreign2023: {
    chineseName: [0, 30],
    sex: [30, 2],
    renewalCount: [32, 4],
    birthDate: [36, 16],
    englishName1: [52, 70],
    idNumber: [122, 36],
    authority: [158, 30],
    validFrom: [188, 16],
    validTo: [204, 16],
    englishName2: [220, 22],
    nationality: [242, 6],
  },
} as const;

type Layouts = typeof LAYOUTS;
export type FieldsOf<T extends CardType> = Record<keyof Layouts[T], string>;

/** Offset 248 marks the non-resident types; anything else is a resident ID. */
export const TYPE_MARKER_OFFSET = 248;
const MARKERS: Record<CardType, string | null> = {
  resident: null,
  hmt: 'J',
  foreign2017: 'I',
  foreign2023: 'Y',
};

export type RawCard = {
  [T in CardType]: { cardType: T; fields: FieldsOf<T>; badEncoding: string[] };
}[CardType];

export function detectCardType(block: Uint8Array): CardType {
  const unit = (block[TYPE_MARKER_OFFSET] ?? 0) | ((block[TYPE_MARKER_OFFSET + 1] ?? 0) << 8);
  switch (String.fromCharCode(unit)) {
    case 'J':
      return 'hmt';
    case 'I':
      return 'foreign2017';
    case 'Y':
      return 'foreign2023';
    default:
      return 'resident';
  }
}

function decodeLayout<T extends CardType>(
  block: Uint8Array,
  cardType: T,
): { fields: FieldsOf<T>; badEncoding: string[] } {
  const layout: Record<string, readonly [number, number]> = LAYOUTS[cardType];
  const fields: Record<string, string> = {};
  const badEncoding: string[] = [];
  for (const [key, [offset, length]] of Object.entries(layout)) {
    // English name part 1 keeps its trailing spaces: a name split at exactly 35 characters may
    // have a real space there, and the padding is trimmed after joining part 2.
    const decoded =
      key === 'englishName1'
        ? decodeUtf16le(block.subarray(offset, offset + length))
        : decodeField(block, offset, length);
    if (decoded.ok) fields[key] = decoded.value;
    else {
      fields[key] = '';
      badEncoding.push(key);
    }
  }
  return { fields: fields as FieldsOf<T>, badEncoding };
}

/** Splits a text block into its card type's fields (strings, padding removed). Never throws. */
export function decodeTextBlock(block: Uint8Array): RawCard {
  if (block.length !== TEXT_LENGTH) {
    // The driver checks the declared length before calling; a short block is decoded as far as it goes.
    const padded = new Uint8Array(TEXT_LENGTH).fill(0x20);
    padded.set(block.subarray(0, TEXT_LENGTH));
    return decodeTextBlock(padded);
  }
  const cardType = detectCardType(block);
  switch (cardType) {
    case 'resident':
      return { cardType, ...decodeLayout(block, cardType) };
    case 'hmt':
      return { cardType, ...decodeLayout(block, cardType) };
    case 'foreign2017':
      return { cardType, ...decodeLayout(block, cardType) };
    case 'foreign2023':
      return { cardType, ...decodeLayout(block, cardType) };
    default: {
      const never: never = cardType;
      throw new Error(`unreachable card type ${String(never)}`);
    }
  }
}

/** Full English name of a 2023 card: part 1 + part 2, padding trimmed after joining. */
export function joinEnglishName(part1: string, part2: string): string {
  return trimPadding(part1 + part2);
}

export type EncodeProblem = { field: string; problem: 'too-long' | 'bad-encoding' };

/** Builds a text block from field values (the simulator's side). Missing fields stay blank. */
export function encodeTextBlock<T extends CardType>(
  cardType: T,
  fields: Partial<FieldsOf<T>>,
): Result<Uint8Array, EncodeProblem> {
  const block = new Uint8Array(TEXT_LENGTH);
  for (let i = 0; i < TEXT_LENGTH; i += 2) block[i] = 0x20;
  const layout: Record<string, readonly [number, number]> = LAYOUTS[cardType];
  const values: Record<string, string | undefined> = fields;
  for (const [key, [offset, length]] of Object.entries(layout)) {
    const value = values[key];
    if (value === undefined) continue;
    const encoded = encodeField(value, length);
    if (!encoded.ok) return err({ field: key, problem: encoded.error });
    block.set(encoded.value, offset);
  }
  const type: CardType = cardType;
  const marker = MARKERS[type];
  if (marker !== null) {
    block[TYPE_MARKER_OFFSET] = marker.charCodeAt(0);
    block[TYPE_MARKER_OFFSET + 1] = 0;
  }
  return ok(block);
}

/** Splits an English name for the 2023 card's two fields (35 + 11 characters). */
export function splitEnglishName(name: string): { englishName1: string; englishName2: string } {
  const cut = LAYOUTS.foreign2023.englishName1[1] / 2;
  return { englishName1: name.slice(0, cut), englishName2: name.slice(cut) };
}
