/** Shared helpers for receipt templates: languages and kiosk-local time formatting. */
import { z } from 'zod';

export const langSchema = z.enum(['zh', 'en']);
export type TemplateLang = z.infer<typeof langSchema>;

/** Halls are in China: times print in China Standard Time unless the input says otherwise. */
export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

function parts(d: Date, timeZone: string): Record<string, string> {
  const fmt = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
  return Object.fromEntries(fmt.formatToParts(d).map((p) => [p.type, p.value]));
}

/** `2026-11-26 14:05` in the given zone. */
export function formatDateTime(d: Date, timeZone: string = DEFAULT_TIME_ZONE): string {
  const p = parts(d, timeZone);
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
}

export const isoDateSchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD');
