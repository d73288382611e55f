/**
 * Citizen identification number, GB 11643-1999 (docs/devices-idcard.md, "ID number (GB 11643-1999)"):
 * 6-digit region + 8-digit birth date + 3-digit sequence (17th digit odd = male) + check character,
 * ISO 7064 MOD 11-2 with weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2 and Y = 0…10 → 1 0 X 9 8 7 6 5 4 3 2.
 */

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK_CHARS = '10X98765432';

/** The check character for the first 17 digits, or null when they are not 17 digits. */
export function gb11643CheckChar(first17: string): string | null {
  if (!/^\d{17}$/.test(first17)) return null;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i]!;
  return CHECK_CHARS[sum % 11]!;
}

export type IdNumberProblem = 'format' | 'checksum';

/** 17 digits + digit/X, and the check character matches. Lower-case x is not what cards carry. */
export function checkIdNumber(idNumber: string): IdNumberProblem | null {
  if (!/^\d{17}[\dX]$/.test(idNumber)) return 'format';
  return gb11643CheckChar(idNumber.slice(0, 17)) === idNumber[17] ? null : 'checksum';
}

/** Birth date embedded at digits 7–14, as YYYYMMDD. */
export function idNumberBirthDate(idNumber: string): string {
  return idNumber.slice(6, 14);
}

/** 17th digit odd = male, even = female. */
export function idNumberSex(idNumber: string): 'male' | 'female' {
  return Number(idNumber[16]) % 2 === 1 ? 'male' : 'female';
}

/** Completes a 17-digit prefix with its check character (simulator and test fixtures). */
export function withCheckChar(first17: string): string {
  const c = gb11643CheckChar(first17);
  if (c === null) throw new Error(`withCheckChar needs 17 digits, got ${first17.length} characters`);
  return first17 + c;
}
