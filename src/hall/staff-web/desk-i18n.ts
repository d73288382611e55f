/**
 * The desk's languages, set up as the kiosk's are (src/renderer/i18n): i18next with react-i18next,
 * Chinese first and English typed by it, `{{name}}` interpolation, <html lang> kept in step. The
 * desk has its own i18next instance (the kiosk's global resource typing is for the kiosk's copy) and
 * bundles both languages: the copy is small and staff switch back and forth. The choice is not
 * stored: a new tab starts in Chinese, as the kiosk does after every session.
 */
import i18next, { type i18n } from 'i18next';
import { useCallback, useMemo } from 'react';
import { initReactI18next, useTranslation } from 'react-i18next';
import { deskEn } from './desk-en.js';
import { deskZh } from './desk-zh-cn.js';

type Widen<T> = { [K in keyof T]: T[K] extends string ? string : Widen<T[K]> };
/** The shape every language's copy must have: the Chinese copy with its strings widened. */
export type DeskMessages = Widen<typeof deskZh>;

export const DESK_LANGUAGES = ['zh-CN', 'en'] as const;
export type DeskLanguage = (typeof DESK_LANGUAGES)[number];

/** Every copy key as a dotted path ('cases.open'). */
type Paths<T, P extends string = ''> = {
  [K in keyof T & string]: T[K] extends string ? `${P}${K}` : Paths<T[K], `${P}${K}.`>;
}[keyof T & string];
export type DeskKey = Paths<typeof deskZh>;

export const DESK_RESOURCES: Record<DeskLanguage, DeskMessages> = { 'zh-CN': deskZh, en: deskEn };

export function createDeskI18n(language: DeskLanguage = 'zh-CN'): i18n {
  const instance = i18next.createInstance();
  void instance.use(initReactI18next).init({
    resources: { 'zh-CN': { translation: deskZh }, en: { translation: deskEn } },
    lng: language,
    fallbackLng: 'zh-CN',
    supportedLngs: [...DESK_LANGUAGES],
    // React escapes what it renders.
    interpolation: { escapeValue: false },
    initAsync: false,
  });
  return instance;
}

export const isDeskLanguage = (value: string | undefined): value is DeskLanguage =>
  (DESK_LANGUAGES as readonly (string | undefined)[]).includes(value);

export type DeskText = (key: DeskKey, vars?: Record<string, string | number>) => string;

/** The instance's `t` for a language, typed by the desk's keys (the kiosk's global typing is for its own copy). */
export function deskTextOf(instance: i18n, language: DeskLanguage): DeskText {
  const fixed = instance.getFixedT(language) as unknown as (
    key: string,
    vars?: Record<string, string | number>,
  ) => string;
  return (key, vars) => fixed(key, vars);
}

/** The desk's typed `t`, the language shown, and a switch. */
export function useDeskText(): {
  t: DeskText;
  language: DeskLanguage;
  setLanguage: (language: DeskLanguage) => void;
} {
  const { i18n: instance } = useTranslation();
  const language = isDeskLanguage(instance.language) ? instance.language : 'zh-CN';
  const t = useMemo(() => deskTextOf(instance, language), [instance, language]);
  const setLanguage = useCallback(
    (lng: DeskLanguage) => {
      void instance.changeLanguage(lng);
    },
    [instance],
  );
  return { t, language, setLanguage };
}

/** Catalog words ({ zh, en }) in the language shown. */
export const inLanguage = (words: { zh: string; en: string }, language: DeskLanguage): string =>
  language === 'en' ? words.en : words.zh;
