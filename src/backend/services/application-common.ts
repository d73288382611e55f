/**
 * What the application modules (application-*.ts) share: their configuration, the language of what
 * they print, days in the hall's time zone, and the JSON columns of an application read back.
 */
import type { Delivery, FormValues, Localized } from '../../shared/index.js';
import { calendarDay } from '../../shared/working-days.js';

export type Lang = 'zh' | 'en';

export type ApplicationsConfig = {
  kioskCode: string;
  jurisdiction: string;
  hallName: Localized;
  hallPhone: string;
  timeZone: string;
  progressUrl: string;
  idSalt: string;
};

/** Today's date in the hall's zone, YYYY-MM-DD. */
export const localDate = (now: Date, timeZone: string): string => calendarDay(now, timeZone);

/** Today's date in the hall's zone as YYYYMMDD, for receipt numbers. */
export const compactDate = (now: Date, timeZone: string): string =>
  calendarDay(now, timeZone).replaceAll('-', '');

/** The stored form: values by field key and the materials taken as shared licences. */
export type StoredForm = { values: FormValues; licences?: string[] };

export const readForm = (json: string | null): StoredForm =>
  json ? (JSON.parse(json) as StoredForm) : { values: {} };

/** The stored delivery; null once the personal data was purged. */
export const readDelivery = (json: string | null): Delivery | null =>
  json ? (JSON.parse(json) as Delivery) : null;
