/** Shared helpers for receipt templates: languages and kiosk-local time formatting. */
import { z } from 'zod';
import { formatDateTime as formatWallClock } from '../../../shared/wall-clock.js';

export const langSchema = z.enum(['zh', 'en']);
export type TemplateLang = z.infer<typeof langSchema>;

/** Halls are in China: times print in China Standard Time unless the input says otherwise. */
export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

/** `2026-11-26 14:05` in the given zone (src/shared/wall-clock.ts). */
export function formatDateTime(d: Date, timeZone: string = DEFAULT_TIME_ZONE): string {
  return formatWallClock(d, timeZone);
}

export const isoDateSchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD');
