/**
 * 办事指南: the five comprehensive windows (一窗受理) with their item counts, the 一件事 bundles, and
 * search by Chinese, English or pinyin initials. The query lives in the route, so "上一步" from a guide
 * comes back to the same results.
 * The kiosk has no keyboard: tapping the search field opens the on-screen keyboard (pinyin first,
 * then letters for initials such as "sb"); 完成 searches and puts it away so the results have room.
 */
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useBundles, useCatalogSearch, useWindows } from '../api/index.js';
import { Icon } from '../components/icon.js';
import { ItemList } from '../components/item-list.js';
import { type KeyboardLayout, OnScreenKeyboard } from '../components/keyboard/on-screen-keyboard.js';
import { ErrorPanel, LoadingPanel, QueryView } from '../components/query-view.js';
import { useLanguage } from '../hooks/use-language.js';
import { pick } from '../i18n/localized.js';
import type { Route } from '../lib/navigation.js';

/** Live search waits this long after the last key before asking. */
const SEARCH_DEBOUNCE_MS = 350;
const MAX_QUERY = 40;
/** Names in Chinese by pinyin; initials (sb) and English words by letters. */
const SEARCH_LAYOUTS: readonly KeyboardLayout[] = ['pinyin', 'letters'];

export function CatalogScreen({
  query,
  onOpen,
  onQuery,
}: {
  query: string;
  onOpen: (route: Route) => void;
  onQuery: (query: string) => void;
}) {
  const { t } = useTranslation();
  const inputId = useId();
  const [text, setText] = useState(query);
  const [keyboardOpen, setKeyboardOpen] = useState(false);
  const inputRef = useRef<HTMLInputElement>(null);

  // Search as the resident types (on the on-screen keyboard, or a technician's real one).
  useEffect(() => {
    const next = text.trim();
    if (next === query) return;
    const id = window.setTimeout(() => onQuery(next), SEARCH_DEBOUNCE_MS);
    return () => window.clearTimeout(id);
  }, [text, query, onQuery]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    onQuery(text.trim());
    setKeyboardOpen(false);
  };

  const done = () => {
    onQuery(text.trim());
    setKeyboardOpen(false);
    inputRef.current?.blur();
  };

  return (
    <div className="catalog">
      <header className="screen-head">
        <h2 className="screen-title">{t('catalog.heading')}</h2>
        <p className="screen-intro">{t('catalog.intro')}</p>
      </header>
      <form className="search" role="search" onSubmit={submit}>
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
              onChange={(e) => setText(e.target.value)}
              onFocus={() => setKeyboardOpen(true)}
              // After 搜索 the field may keep its focus with the keyboard put away: a tap opens it again.
              onClick={() => setKeyboardOpen(true)}
            />
          </span>
          {text.length > 0 && (
            <button
              type="button"
              className="btn"
              onClick={() => {
                setText('');
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
      {keyboardOpen && (
        <OnScreenKeyboard
          value={text}
          onChange={setText}
          layouts={SEARCH_LAYOUTS}
          maxLength={MAX_QUERY}
          onDone={done}
          label={t('search.label')}
        />
      )}
      {query.length > 0 ? <SearchResults query={query} onOpen={onOpen} /> : <Windows onOpen={onOpen} />}
    </div>
  );
}

function Windows({ onOpen }: { onOpen: (route: Route) => void }) {
  const { t } = useTranslation();
  const lang = useLanguage();
  const windows = useWindows();
  const bundles = useBundles();
  return (
    <section aria-labelledby="windows-heading">
      <h3 id="windows-heading" className="section-title">
        <Icon name="building" />
        {t('catalog.windowsHeading')}
      </h3>
      <QueryView query={windows}>
        {(list) => (
          <ul className="window-grid" data-testid="window-list">
            {list.map((w) => (
              <li key={w.code}>
                <button
                  type="button"
                  className="window-card"
                  data-window={w.code}
                  data-count={w.itemCount}
                  onClick={() => onOpen({ name: 'window', code: w.code })}
                >
                  <span className="window-letter" aria-hidden="true">
                    {w.queuePrefix}
                  </span>
                  <span className="window-text">
                    <span className="window-name">{pick(w.name, lang)}</span>
                    <span className="window-desc">{pick(w.description, lang)}</span>
                    <span className="window-count">{t('catalog.itemCount', { count: w.itemCount })}</span>
                  </span>
                  <Icon name="next" className="chevron" />
                </button>
              </li>
            ))}
            <li>
              <button
                type="button"
                className="window-card window-card-bundle"
                data-window="bundles"
                onClick={() => onOpen({ name: 'bundles' })}
              >
                <span className="window-letter" aria-hidden="true">
                  <Icon name="bundle" />
                </span>
                <span className="window-text">
                  <span className="window-name">{t('catalog.bundles')}</span>
                  <span className="window-desc">{t('catalog.bundlesDescription')}</span>
                  {bundles.data && (
                    <span className="window-count">
                      {t('catalog.bundleCount', { count: bundles.data.length })}
                    </span>
                  )}
                </span>
                <Icon name="next" className="chevron" />
              </button>
            </li>
          </ul>
        )}
      </QueryView>
    </section>
  );
}

function SearchResults({ query, onOpen }: { query: string; onOpen: (route: Route) => void }) {
  const { t } = useTranslation();
  const lang = useLanguage();
  const windows = useWindows();
  const results = useCatalogSearch(query);
  return (
    <section aria-labelledby="results-heading" data-testid="search-results">
      <h3 id="results-heading" className="section-title">
        <Icon name="search" />
        {t('search.heading')}
      </h3>
      {results.data === undefined ? (
        results.isError ? (
          <ErrorPanel onRetry={() => void results.refetch()} />
        ) : (
          <LoadingPanel />
        )
      ) : (
        <div aria-busy={results.isPlaceholderData}>
          <p className="result-count" role="status">
            {results.isPlaceholderData
              ? t('search.searching')
              : results.data.length > 0
                ? t('search.results', { count: results.data.length })
                : t('search.none', { query })}
          </p>
          {results.data.length > 0 && (
            <ItemList
              items={results.data}
              label={t('search.heading')}
              onOpen={(code) => onOpen({ name: 'item', code })}
              windowName={(code) => {
                const w = windows.data?.find((x) => x.code === code);
                return w && pick(w.name, lang);
              }}
            />
          )}
        </div>
      )}
    </section>
  );
}
