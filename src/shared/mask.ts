/**
 * Personal data as screens, receipts, logs and the staff desk show it (docs/privacy.md): the one
 * home of the masking rules, used by the kiosk backend and the hall alike.
 */

/** 张*三 / 李* — the first and (for three or more characters) last character stay visible. */
export function maskName(name: string): string {
  const chars = [...name];
  if (chars.length <= 1) return name;
  if (chars.length === 2) return `${chars[0]}*`;
  return `${chars[0]}${'*'.repeat(chars.length - 2)}${chars[chars.length - 1]}`;
}

/** 6101**********1234 — four characters at each end, the rest masked. */
export function maskIdNumber(id: string): string {
  if (id.length <= 8) return '*'.repeat(id.length);
  return `${id.slice(0, 4)}${'*'.repeat(id.length - 8)}${id.slice(-4)}`;
}

/** Keeps the province/city start of an address, masks the rest (a receipt is a paper in a pocket). */
export function maskAddress(address: string): string {
  const chars = [...address.trim()];
  if (chars.length <= 6) return `${chars.slice(0, 2).join('')}****`;
  return `${chars.slice(0, 6).join('')}****`;
}

/** 138****5678 — the first three and last four digits of a phone number stay visible. */
export function maskPhone(phone: string): string {
  const digits = phone.trim();
  if (digits.length <= 7) return '*'.repeat(digits.length);
  return `${digits.slice(0, 3)}${'*'.repeat(digits.length - 7)}${digits.slice(-4)}`;
}
