/**
 * The receipt access code (docs/security.md, "Receipt access codes"): receipt numbers are sequential
 * (`ZZ01-20261126-0001`), so the number alone shows only an application's status; acting on it
 * (补正, 好差评, reprint, the notes and history) needs the applicant's ID card or this code, printed on
 * the receipt and carried in its QR code. Defined here once: the backend issues and checks it, the
 * screens and the code reader read it.
 */
import type { CaseStatus } from './case-status.js';
import type { Localized } from './catalog.js';
import { RECEIPT_NO_PATTERN, type ApplicationDetail } from './resident.js';

/**
 * 32 symbols without the look-alikes 0/O, 1/I (L stays: there is no 1 to confuse it with): 5 bits a
 * symbol, so one random byte masked to 5 bits is uniform.
 */
export const ACCESS_CODE_ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';
/** 8 symbols × 5 bits = 40 bits from the CSPRNG. */
export const ACCESS_CODE_LENGTH = 8;

/** What was typed or read, as the code it means: upper case, without spaces or the printed hyphen. */
export function normaliseAccessCode(value: string): string {
  return value.toUpperCase().replace(/[\s-]+/g, '');
}

export function isAccessCode(value: string): boolean {
  if (value.length !== ACCESS_CODE_LENGTH) return false;
  for (const ch of value) if (!ACCESS_CODE_ALPHABET.includes(ch)) return false;
  return true;
}

/** As printed and shown: two groups of four (`K7QM-X3RD`), easier to copy by eye. */
export function formatAccessCode(code: string): string {
  const c = normaliseAccessCode(code);
  return c.length === ACCESS_CODE_LENGTH ? `${c.slice(0, 4)}-${c.slice(4)}` : c;
}

/**
 * The receipt's QR code: the progress page of the receipt number, with the access code in the
 * URL's fragment — a phone opening the link never sends the fragment to any server, the kiosk's
 * code reader reads it.
 */
export function progressQrPayload(baseUrl: string, receiptNo: string, accessCode?: string | null): string {
  const url = `${baseUrl.replace(/\/+$/, '')}/progress?r=${encodeURIComponent(receiptNo)}`;
  return accessCode ? `${url}#c=${normaliseAccessCode(accessCode)}` : url;
}

/** What the code reader read, when it is one of our receipts: its number, and its access code if it carries one. */
export type ReceiptCode = { receiptNo: string; accessCode: string | null };

/** A receipt from what the code reader read (the QR's URL, or the bare number); null when it is not one. */
export function receiptFromCode(code: string): ReceiptCode | null {
  const text = code.trim();
  const m = /[?&]r=([^&#\s]+)/.exec(text);
  const candidate = m?.[1] ? safeDecode(m[1]) : text;
  const upper = candidate.toUpperCase();
  if (!RECEIPT_NO_PATTERN.test(upper)) return null;
  const c = /#(?:.*&)?c=([^&\s]+)/.exec(text);
  const accessCode = c?.[1] ? normaliseAccessCode(c[1]) : null;
  return {
    receiptNo: upper,
    accessCode: accessCode !== null && isAccessCode(accessCode) ? accessCode : null,
  };
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/**
 * What the receipt number alone shows (no card, no code): the matter and where it stands, nothing
 * about the person or the hall's notes.
 */
export type ApplicationStatusOnly = {
  receiptNo: string;
  itemName: Localized;
  status: CaseStatus;
  submittedAt: string;
  promisedDate: string | null;
  /** Whether the receipt carries an access code (applications from before codes have none: card only). */
  hasAccessCode: boolean;
};

/** The code did not match (or there is none, and the card was not the applicant's). Nothing changed. */
export type AccessDenied = { kind: 'access-denied'; attemptsLeft: number };
/** Too many failed look-ups in this session, or on this kiosk: wait before trying again. */
export type TooManyAttempts = { kind: 'too-many-attempts'; retryAfterSeconds: number };

/** `progress.byReceipt`'s answer: the status only, or — with the card or the code — the application. */
export type ReceiptLookupAnswer =
  { access: 'status'; status: ApplicationStatusOnly } | { access: 'full'; application: ApplicationDetail };
