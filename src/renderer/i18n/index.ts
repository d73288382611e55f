/**
 * i18next set-up: Chinese first, English second. The kiosk starts in Chinese after every session;
 * nothing is persisted (no language detector on purpose). Chinese is in the first screen's bundle;
 * English is a chunk of its own, loaded by `changeLanguage('en')` itself (through the small backend
 * below) and fetched ahead once the home screen is idle, so the toggle switches at once.
 */
import i18next, { type BackendModule, type ReadCallback } from 'i18next';
import { initReactI18next } from 'react-i18next';
import { LANGUAGES, type Language } from './messages.js';
import { zhCN } from './zh-cn.js';

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: typeof zhCN };
  }
}

export const DEFAULT_LANGUAGE: Language = 'zh-CN';

/** The English copy, loaded once (and again after a failed attempt). */
let english: Promise<Record<string, unknown>> | null = null;
export function loadEnglish(): Promise<Record<string, unknown>> {
  english ??= import('./en.js').then(
    (m) => m.en,
    (error: unknown) => {
      english = null;
      throw error;
    },
  );
  return english;
}

/** Serves the languages that are not bundled (English) from their chunk. */
const lazyLanguages: BackendModule = {
  type: 'backend',
  callbackApi: true,
  init: () => undefined,
  read(language: string, _namespace: string, callback: ReadCallback) {
    if (language !== 'en') {
      callback(null, {});
      return;
    }
    loadEnglish().then(
      (copy) => callback(null, copy),
      (error: unknown) => callback(error instanceof Error ? error : new Error(String(error)), false),
    );
  },
};

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
    void i18next
      .use(lazyLanguages)
      .use(initReactI18next)
      .init({
        resources: { 'zh-CN': { translation: zhCN } },
        // Chinese comes bundled; the backend above loads what is not (English).
        partialBundledLanguages: true,
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
