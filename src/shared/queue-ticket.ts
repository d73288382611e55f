/**
 * Queue ticket numbers and priority tickets (优先号) — the one definition the kiosk, the hall and the
 * staff desk share (docs/devices-ticket.md, "Priority tickets").
 *
 * A window's ordinary numbers are its letter and three digits (A023). Priority numbers for residents
 * aged 60 or over (老年人), with a disability (残疾人) or pregnant (孕妇) are a series of their own with
 * the letter P in front (PA003): the hall calls them before the ordinary numbers of the same window
 * and day. Whether a resident qualifies is declared at the kiosk (an ID card showing 60 or over
 * offers it by itself); staff check at the window as they do today.
 *
 * No zod: the screen imports it too (the schemas are in wire/).
 */

export const PRIORITY_KINDS = ['elderly', 'disabled', 'pregnant'] as const;
export type PriorityKind = (typeof PRIORITY_KINDS)[number];

/** The letter in front of a priority number's window letter: PA003. */
export const PRIORITY_SERIES = 'P';

/** Age from which a resident is offered a priority ticket without asking (老年人, 60 周岁). */
export const PRIORITY_AGE = 60;

/** An ordinary number `A023`, or a priority number `PA003`. */
export const TICKET_NUMBER = /^P?[A-Z]\d{3}$/;

export function ticketNumber(
  windowPrefix: string,
  n: number,
  priority: PriorityKind | null | undefined,
): string {
  return `${priority ? PRIORITY_SERIES : ''}${windowPrefix}${String(n).padStart(3, '0')}`;
}

/** Whether a number belongs to the priority series (two letters, the first P). */
export const isPriorityNumber = (number: string): boolean => /^P[A-Z]\d{3}$/.test(number);

/**
 * Completed years of age on the calendar day `today` (both `YYYY-MM-DD`), as Chinese law counts 周岁:
 * the birthday itself completes the year; one born on 29 February completes it on 1 March in a
 * common year. Null for a malformed date.
 */
export function ageOn(birthDate: string, today: string): number | null {
  const b = /^(\d{4})-(\d{2})-(\d{2})$/.exec(birthDate);
  const t = /^(\d{4})-(\d{2})-(\d{2})$/.exec(today);
  if (!b || !t) return null;
  const [by, bm, bd] = [Number(b[1]), Number(b[2]), Number(b[3])];
  const [ty, tm, td] = [Number(t[1]), Number(t[2]), Number(t[3])];
  const before = tm < bm || (tm === bm && td < bd);
  return ty - by - (before ? 1 : 0);
}

/** Whether a resident born on `birthDate` is offered an elderly priority ticket on `today`. */
export const offeredElderlyPriority = (birthDate: string, today: string): boolean =>
  (ageOn(birthDate, today) ?? 0) >= PRIORITY_AGE;
