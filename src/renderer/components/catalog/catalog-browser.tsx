/**
 * The catalog browser shared by 办事指南 and 我要办事's find step: a search field that searches as
 * the resident types (debounced; Chinese by pinyin on the on-screen keyboard, English words and
 * pinyin initials such as "sb" by letters), and below it the results or the windows → a window's
 * items, the 一件事 bundles. What a row does is the screen's (open its guide, or pick it to apply),
 * and so is where the browser is (办事指南 keeps it in its routes, so 上一步 comes back to the same
 * results; the find step in its own state): every piece of state comes in as a prop.
 */
import { useEffect, useId, useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { WindowCode } from '../../../shared/browser.js';
import { useWindows } from '../../api/index.js';
import { useLanguage } from '../../hooks/use-language.js';
import { pick } from '../../i18n/localized.js';
import { Icon } from '../icon.js';
import { type KeyboardLayout, OnScreenKeyboard } from '../keyboard/on-screen-keyboard.js';
import { BundleRows, SearchResults, WindowGrid, WindowItems } from './catalog-lists.js';

/** Searching waits this long after the last key before it asks. */
export const SEARCH_DEBOUNCE_MS = 300;
const MAX_QUERY = 40;
/** Names in Chinese by pinyin; initials (sb) and English words by letters. */
const SEARCH_LAYOUTS: readonly KeyboardLayout[] = ['pinyin', 'letters'];

/** The list shown while nothing is searched. */
export type CatalogView = { kind: 'windows' } | { kind: 'window'; code: WindowCode } | { kind: 'bundles' };

export type CatalogBrowserProps = {
  /** What is in the search field, and the query searched (the text, trimmed, once typing pauses). */
  text: string;
  onText: (text: string) => void;
  query: string;
  onQuery: (query: string) => void;
  keyboard: boolean;
  onKeyboard: (open: boolean) => void;
  view: CatalogView;
  onView: (view: CatalogView) => void;
  onItem: (code: string) => void;
  onBundle: (code: string) => void;
};

export function CatalogBrowser(p: CatalogBrowserProps) {
  const { t } = useTranslation();
  const { text, query, onQuery } = p;
  const toWindows = () => p.onView({ kind: 'windows' });
  // Search as the resident types (on the on-screen keyboard, or a technician's real one).
  useEffect(() => {
    const next = text.trim();
    if (next === query) return;
    const id = window.setTimeout(() => onQuery(next), SEARCH_DEBOUNCE_MS);
    return () => window.clearTimeout(id);
  }, [text, query, onQuery]);

  return (
    <>
      <SearchBox {...p} />
      {query !== '' ? (
        <SearchResults query={query} onItem={p.onItem} />
      ) : p.view.kind === 'window' ? (
        <WindowSection code={p.view.code} onItem={p.onItem} onBack={toWindows} />
      ) : p.view.kind === 'bundles' ? (
        <Section icon="bundle" title={t('catalog.bundles')} onBack={toWindows}>
          <BundleRows onBundle={p.onBundle} />
        </Section>
      ) : (
        <section aria-labelledby="windows-heading">
          <h3 id="windows-heading" className="section-title">
            <Icon name="building" />
            {t('catalog.windowsHeading')}
          </h3>
          <WindowGrid
            onWindow={(code) => p.onView({ kind: 'window', code })}
            onBundles={() => p.onView({ kind: 'bundles' })}
          />
        </section>
      )}
    </>
  );
}

function SearchBox({ text, onText, onQuery, keyboard, onKeyboard }: CatalogBrowserProps) {
  const { t } = useTranslation();
  const inputId = useId();
  const inputRef = useRef<HTMLInputElement>(null);
  const done = () => {
    onQuery(text.trim());
    onKeyboard(false);
    inputRef.current?.blur();
  };
  return (
    <>
      <form
        className="search"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          onQuery(text.trim());
          onKeyboard(false);
        }}
      >
        <label htmlFor={inputId} className="search-label">
          {t('search.label')}
        </label>
        <div className="search-row">
          <span className="search-field">
            <Icon name="search" />
            <input
              ref={inputRef}
              id={inputId}
              className="search-input"
              type="search"
              // The system's own keyboard must not pop up over ours on a touch screen.
              inputMode="none"
              enterKeyHint="search"
              autoComplete="off"
              spellCheck={false}
              maxLength={MAX_QUERY}
              placeholder={t('search.placeholder')}
              value={text}
              onChange={(e) => onText(e.target.value)}
              onFocus={() => onKeyboard(true)}
              // After 搜索 the field may keep its focus with the keyboard put away: a tap opens it again.
              onClick={() => onKeyboard(true)}
              data-testid="catalog-search"
            />
          </span>
          {text.length > 0 && (
            <button
              type="button"
              className="btn"
              onClick={() => {
                onText('');
                onQuery('');
              }}
            >
              <Icon name="close" />
              {t('search.clear')}
            </button>
          )}
          <button type="submit" className="btn btn-primary">
            <Icon name="search" />
            {t('search.button')}
          </button>
        </div>
      </form>
      {keyboard && (
        <OnScreenKeyboard
          value={text}
          onChange={onText}
          layouts={SEARCH_LAYOUTS}
          maxLength={MAX_QUERY}
          onDone={done}
          label={t('search.label')}
        />
      )}
    </>
  );
}

function Section({
  icon,
  title,
  onBack,
  children,
}: {
  icon: 'building' | 'bundle';
  title: string;
  onBack: () => void;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  const headingId = useId();
  return (
    <section aria-labelledby={headingId}>
      <h3 id={headingId} className="section-title">
        <Icon name={icon} />
        {title}
      </h3>
      <button type="button" className="btn catalog-subback" onClick={onBack}>
        <Icon name="back" />
        {t('catalog.backToWindows')}
      </button>
      {children}
    </section>
  );
}

function WindowSection({
  code,
  onItem,
  onBack,
}: {
  code: WindowCode;
  onItem: (code: string) => void;
  onBack: () => void;
}) {
  const { t } = useTranslation();
  const lang = useLanguage();
  const win = useWindows().data?.find((w) => w.code === code);
  const title = win ? pick(win.name, lang) : t('catalog.windowsHeading');
  return (
    <Section icon="building" title={title} onBack={onBack}>
      <WindowItems code={code} label={title} onItem={onItem} />
    </Section>
  );
}
