import type { Localized } from '../../shared/browser.js';
import type { Language } from './messages.js';

/** Picks the catalog's copy for the current language (catalog content carries both). */
export function pick(text: Localized, lang: Language): string {
  return lang === 'en' ? text.en : text.zh;
}
