/**
 * Identity records: what a card read yields once its text block has been judged. zod checks the
 * device's bytes at this trust boundary (docs/architecture.md, "Trust boundaries"): calendar dates, the GB
 * 11643 check character, code tables and the cross-checks between the ID number and the printed fields.
 * A card that fails is an `InvalidCard` value listing field names and problem codes only — never
 * the values, which are personal data.
 */
import { z } from 'zod';
import { err, ok, type Result } from '../result.js';
import { nationName, SEXES, sexFromCode, type Sex } from './codes.js';
import { checkIdNumber, idNumberBirthDate, idNumberSex } from './gb11643.js';
import { joinEnglishName, type CardType, type RawCard } from './text-block.js';

export const LONG_TERM = '长期';

export const PROBLEM_CODES = [
  'empty',
  'format',
  'checksum',
  'bad-date',
  'unknown-code',
  'bad-encoding',
  'bad-prefix',
  'birth-date-mismatch',
  'sex-mismatch',
  'validity-order',
] as const;
export type ProblemCode = (typeof PROBLEM_CODES)[number];
export type CardProblem = { field: string; problem: ProblemCode };
export type InvalidCard = { cardType: CardType; problems: CardProblem[] };

function isCalendarDate(iso: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (y < 1850 || mo < 1 || mo > 12 || d < 1) return false;
  const dt = new Date(Date.UTC(y, mo - 1, d));
  return dt.getUTCFullYear() === y && dt.getUTCMonth() === mo - 1 && dt.getUTCDate() === d;
}

const problem = (code: ProblemCode) => ({ error: code });
/** No control characters in printed text (a NUL or BEL in a name is corruption, not a name). */
const printable = /^[^\p{Cc}]*$/u;

const isoDate = z.string().refine(isCalendarDate, problem('bad-date'));
const validTo = z.string().refine((v) => v === LONG_TERM || isCalendarDate(v), problem('bad-date'));
const text = z.string().regex(printable, problem('format'));
const requiredText = text.min(1, problem('empty'));
const gbIdNumber = (prefix: RegExp) =>
  z
    .string()
    .min(1, problem('empty'))
    .refine((v) => checkIdNumber(v) !== 'format', problem('format'))
    .refine((v) => checkIdNumber(v) !== 'checksum', problem('checksum'))
    .refine((v) => prefix.test(v), problem('bad-prefix'));

const common = {
  name: requiredText,
  sex: z.enum(SEXES),
  birthDate: isoDate,
  authority: text,
  validFrom: isoDate,
  validTo,
};

type CrossCheckable = { birthDate: string; sex: Sex; idNumber: string; validFrom: string; validTo: string };
type Ctx = Pick<z.core.$RefinementCtx, 'addIssue'>;

/** validFrom must precede validTo (or 长期). */
function checkValidity(v: CrossCheckable, ctx: Ctx): void {
  if (isCalendarDate(v.validFrom) && isCalendarDate(v.validTo) && v.validFrom >= v.validTo) {
    ctx.addIssue({ code: 'custom', message: 'validity-order', path: ['validTo'], input: v.validTo });
  }
}

/** GB 11643: digits 7–14 are the birth date, the 17th digit's parity the sex. */
function checkAgainstIdNumber(v: CrossCheckable, ctx: Ctx): void {
  if (checkIdNumber(v.idNumber) !== null) return;
  if (isCalendarDate(v.birthDate) && idNumberBirthDate(v.idNumber) !== v.birthDate.replaceAll('-', '')) {
    ctx.addIssue({ code: 'custom', message: 'birth-date-mismatch', path: ['birthDate'], input: v.birthDate });
  }
  if ((v.sex === 'male' || v.sex === 'female') && idNumberSex(v.idNumber) !== v.sex) {
    ctx.addIssue({ code: 'custom', message: 'sex-mismatch', path: ['sex'], input: v.sex });
  }
}

export const residentRecordSchema = z
  .object({
    cardType: z.literal('resident'),
    ...common,
    nation: requiredText,
    nationCode: z.string().regex(/^\d{2}$/, problem('format')),
    address: requiredText,
    /** Region codes (GB/T 2260) start 1–7; 8x and 9 belong to the permit and foreign cards. */
    idNumber: gbIdNumber(/^[1-7]/),
  })
  .superRefine((v, ctx) => {
    checkValidity(v, ctx);
    checkAgainstIdNumber(v, ctx);
  });

export const HMT_REGIONS = { '81': 'hong-kong', '82': 'macau', '83': 'taiwan' } as const;
export type HmtRegion = (typeof HMT_REGIONS)[keyof typeof HMT_REGIONS];

export const hmtRecordSchema = z
  .object({
    cardType: z.literal('hmt'),
    ...common,
    nation: z.null(),
    address: requiredText,
    idNumber: gbIdNumber(/^8[123]/),
    region: z.enum(['hong-kong', 'macau', 'taiwan']),
    passNumber: requiredText,
    issueCount: z.number().int().min(0),
  })
  .superRefine((v, ctx) => {
    checkValidity(v, ctx);
    checkAgainstIdNumber(v, ctx);
  });

const nationality = z.string().regex(/^[A-Z]{3}$/, problem('format'));

export const foreign2017RecordSchema = z
  .object({
    cardType: z.literal('foreign2017'),
    ...common,
    nation: z.null(),
    address: z.null(),
    chineseName: text.min(1).nullable(),
    englishName: requiredText,
    nationality,
    /** 15 characters: 3-letter nationality + 12 digits. docs/devices-idcard.md gives no check character. */
    idNumber: z.string().regex(/^[A-Z]{3}\d{12}$/, problem('format')),
    authorityCode: z.string().regex(/^\d{4}$/, problem('format')),
    cardVersion: text,
  })
  .superRefine((v, ctx) => checkValidity(v, ctx));

export const foreign2023RecordSchema = z
  .object({
    cardType: z.literal('foreign2023'),
    ...common,
    nation: z.null(),
    address: z.null(),
    chineseName: text.min(1).nullable(),
    englishName: requiredText,
    nationality,
    idNumber: gbIdNumber(/^9/),
    renewalCount: z.number().int().min(0),
  })
  .superRefine((v, ctx) => checkValidity(v, ctx));

export const identityRecordSchema = z.discriminatedUnion('cardType', [
  residentRecordSchema,
  hmtRecordSchema,
  foreign2017RecordSchema,
  foreign2023RecordSchema,
]);

export type ResidentRecord = z.infer<typeof residentRecordSchema>;
export type HmtRecord = z.infer<typeof hmtRecordSchema>;
export type Foreign2017Record = z.infer<typeof foreign2017RecordSchema>;
export type Foreign2023Record = z.infer<typeof foreign2023RecordSchema>;
/** A validated card. `validTo` is YYYY-MM-DD or '长期'; `nation`/`address` are null where the card has none. */
export type IdentityRecord = z.infer<typeof identityRecordSchema>;

/** "YYYYMMDD" → "YYYY-MM-DD"; anything else is returned as-is for the schema to refuse. */
function isoFromCard(yyyymmdd: string): string {
  return /^\d{8}$/.test(yyyymmdd)
    ? `${yyyymmdd.slice(0, 4)}-${yyyymmdd.slice(4, 6)}-${yyyymmdd.slice(6, 8)}`
    : yyyymmdd;
}

function countField(value: string): number {
  return /^\d{1,2}$/.test(value) ? Number(value) : -1;
}

/** Turns a decoded text block into a validated record, or an InvalidCard listing what is wrong. */
export function parseIdentity(raw: RawCard): Result<IdentityRecord, InvalidCard> {
  const problems: CardProblem[] = raw.badEncoding.map((field) => ({
    field: publicFieldName(field),
    problem: 'bad-encoding',
  }));
  const flagged = new Set(problems.map((p) => p.field));
  const sexOf = (code: string): string => {
    const sex = sexFromCode(code);
    if (sex === null && !flagged.has('sex')) {
      problems.push({ field: 'sex', problem: 'unknown-code' });
      flagged.add('sex');
    }
    return sex ?? code;
  };

  let candidate: Record<string, unknown>;
  switch (raw.cardType) {
    case 'resident': {
      const f = raw.fields;
      const nation = nationName(f.nation);
      if (nation === null && !flagged.has('nation')) {
        problems.push({ field: 'nation', problem: 'unknown-code' });
        flagged.add('nation');
      }
      candidate = {
        cardType: 'resident',
        name: f.name,
        sex: sexOf(f.sex),
        nation: nation ?? '',
        nationCode: f.nation,
        birthDate: isoFromCard(f.birthDate),
        address: f.address,
        idNumber: f.idNumber,
        authority: f.authority,
        validFrom: isoFromCard(f.validFrom),
        validTo: f.validTo === LONG_TERM ? LONG_TERM : isoFromCard(f.validTo),
      };
      break;
    }
    case 'hmt': {
      const f = raw.fields;
      const region = (HMT_REGIONS as Record<string, HmtRegion | undefined>)[f.idNumber.slice(0, 2)];
      candidate = {
        cardType: 'hmt',
        name: f.name,
        sex: sexOf(f.sex),
        nation: null,
        birthDate: isoFromCard(f.birthDate),
        address: f.address,
        idNumber: f.idNumber,
        authority: f.authority,
        validFrom: isoFromCard(f.validFrom),
        validTo: f.validTo === LONG_TERM ? LONG_TERM : isoFromCard(f.validTo),
        // An unknown prefix is reported once, against idNumber ('bad-prefix'); region just follows.
        region: region ?? 'hong-kong',
        passNumber: f.passNumber,
        issueCount: countField(f.issueCount),
      };
      break;
    }
    case 'foreign2017': {
      const f = raw.fields;
      candidate = {
        cardType: 'foreign2017',
        name: f.chineseName || f.englishName,
        sex: sexOf(f.sex),
        nation: null,
        birthDate: isoFromCard(f.birthDate),
        address: null,
        idNumber: f.idNumber,
        // The 2017 card carries an authority code, not a name (see docs/devices-idcard.md).
        authority: f.authorityCode,
        validFrom: isoFromCard(f.validFrom),
        validTo: f.validTo === LONG_TERM ? LONG_TERM : isoFromCard(f.validTo),
        chineseName: f.chineseName || null,
        englishName: f.englishName,
        nationality: f.nationality,
        authorityCode: f.authorityCode,
        cardVersion: f.cardVersion,
      };
      break;
    }
    case 'foreign2023': {
      const f = raw.fields;
      const englishName = joinEnglishName(f.englishName1, f.englishName2);
      candidate = {
        cardType: 'foreign2023',
        name: f.chineseName || englishName,
        sex: sexOf(f.sex),
        nation: null,
        birthDate: isoFromCard(f.birthDate),
        address: null,
        idNumber: f.idNumber,
        authority: f.authority,
        validFrom: isoFromCard(f.validFrom),
        validTo: f.validTo === LONG_TERM ? LONG_TERM : isoFromCard(f.validTo),
        chineseName: f.chineseName || null,
        englishName,
        nationality: f.nationality,
        renewalCount: countField(f.renewalCount),
      };
      break;
    }
    default: {
      const never: never = raw;
      throw new Error(`unreachable raw card ${JSON.stringify(never)}`);
    }
  }

  const parsed = identityRecordSchema.safeParse(candidate);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = String(issue.path[0] ?? 'card');
      if (flagged.has(field)) continue;
      problems.push({ field, problem: toProblemCode(issue.message) });
      flagged.add(field);
    }
  }
  if (problems.length > 0 || !parsed.success) return err({ cardType: raw.cardType, problems });
  return ok(parsed.data);
}

function toProblemCode(message: string): ProblemCode {
  return (PROBLEM_CODES as readonly string[]).includes(message) ? (message as ProblemCode) : 'format';
}

/** Layout field names that differ from record field names. */
function publicFieldName(layoutField: string): string {
  switch (layoutField) {
    case 'englishName1':
    case 'englishName2':
      return 'englishName';
    default:
      return layoutField;
  }
}
