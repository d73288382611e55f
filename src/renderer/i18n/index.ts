/**
 * i18next set-up: Chinese first, English second, both bundled (no loading at run time). The kiosk
 * starts in Chinese after every session; nothing is persisted (no language detector on purpose).
 */
import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { en } from './en.js';
import { LANGUAGES, type Language } from './messages.js';
import { zhCN } from './zh-cn.js';

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: typeof zhCN };
  }
}

export const DEFAULT_LANGUAGE: Language = 'zh-CN';

export const resources = {
  'zh-CN': { translation: zhCN },
  en: { translation: en },
} as const;

export function isLanguage(value: string | undefined): value is Language {
  return (LANGUAGES as readonly (string | undefined)[]).includes(value);
}

/** Keeps <html lang> and the window title in step with the language (screen readers, fonts, axe). */
function applyToDocument(lng: string): void {
  if (typeof document === 'undefined') return;
  document.documentElement.lang = isLanguage(lng) ? lng : DEFAULT_LANGUAGE;
  document.title = i18next.t('app.title');
}

export function initI18n(): typeof i18next {
  if (!i18next.isInitialized) {
    i18next.on('languageChanged', applyToDocument);
    void i18next.use(initReactI18next).init({
      resources,
      lng: DEFAULT_LANGUAGE,
      fallbackLng: DEFAULT_LANGUAGE,
      supportedLngs: [...LANGUAGES],
      // React escapes what it renders; escaping here too would show &quot; on screen.
      interpolation: { escapeValue: false },
      returnNull: false,
      initAsync: false,
    });
  }
  return i18next;
}

export { LANGUAGES, type Language } from './messages.js';
