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
