/**
 * Step 2, 选择事项: the comprehensive windows and their items, the 一件事 bundles, and search by
 * Chinese, English or pinyin initials ("sy" → 失业…) typed on the on-screen keyboard. The same
 * lists and rows as the 办事指南 screens (ItemList), so the resident recognises them.
 */
import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApplyTarget, WindowCode } from '../../../shared/browser.js';
import { useBundles, useCatalogSearch, useWindowItems, useWindows } from '../../api/index.js';
import { Icon } from '../../components/icon.js';
import { ItemList } from '../../components/item-list.js';
import { OnScreenKeyboard } from '../../components/keyboard/on-screen-keyboard.js';
import { QueryView } from '../../components/query-view.js';
import { useLanguage } from '../../hooks/use-language.js';
import { pick } from '../../i18n/localized.js';
import { StepHead } from './apply-ui.js';
import { useStepBack } from './step-back.js';

const SEARCH_DEBOUNCE_MS = 300;
const MAX_QUERY = 40;
const SEARCH_LAYOUTS = ['pinyin', 'letters'] as const;

type View = { kind: 'windows' } | { kind: 'window'; code: WindowCode } | { kind: 'bundles' };

export function FindStep({ onPick }: { onPick: (target: ApplyTarget) => void }) {
  const { t } = useTranslation();
  const inputId = useId();
  const [view, setView] = useState<View>({ kind: 'windows' });
  const [text, setText] = useState('');
  const [query, setQuery] = useState('');
  const [keyboard, setKeyboard] = useState(false);

  useEffect(() => {
    const next = text.trim();
    if (next === query) return;
    const id = window.setTimeout(() => setQuery(next), SEARCH_DEBOUNCE_MS);
    return () => window.clearTimeout(id);
  }, [text, query]);

  useStepBack(() => {
    if (keyboard) {
      setKeyboard(false);
      return true;
    }
    if (query !== '' || text !== '') {
      setText('');
      setQuery('');
      return true;
    }
    if (view.kind !== 'windows') {
      setView({ kind: 'windows' });
      return true;
    }
    return false;
  });

  return (
    <section className="apply-find" data-testid="find-step">
      <StepHead title={t('applyFlow.find.title')} intro={t('applyFlow.find.intro')} />
      <form
        className="search"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          setQuery(text.trim());
          setKeyboard(false);
        }}
      >
        <label htmlFor={inputId} className="search-label">
          {t('applyFlow.find.searchLabel')}
        </label>
        <div className="search-row">
          <span className="search-field">
            <Icon name="search" />
            <input
              id={inputId}
              className="search-input"
              type="search"
              inputMode="none"
              enterKeyHint="search"
              autoComplete="off"
              spellCheck={false}
              maxLength={MAX_QUERY}
              placeholder={t('applyFlow.find.searchPlaceholder')}
              value={text}
              onChange={(e) => setText(e.target.value)}
              onFocus={() => setKeyboard(true)}
              onClick={() => setKeyboard(true)}
              data-testid="find-search"
            />
          </span>
          {text.length > 0 && (
            <button
              type="button"
              className="btn"
              onClick={() => {
                setText('');
                setQuery('');
              }}
            >
              <Icon name="close" />
              {t('applyFlow.find.clear')}
            </button>
          )}
          <button type="submit" className="btn btn-primary">
            <Icon name="search" />
            {t('applyFlow.find.search')}
          </button>
        </div>
      </form>
      {keyboard && (
        <OnScreenKeyboard
          value={text}
          onChange={setText}
          layouts={SEARCH_LAYOUTS}
          maxLength={MAX_QUERY}
          onDone={() => {
            setQuery(text.trim());
            setKeyboard(false);
          }}
          label={t('applyFlow.find.searchLabel')}
        />
      )}
      {query !== '' ? (
        <Results query={query} onPick={onPick} />
      ) : view.kind === 'window' ? (
        <WindowItems code={view.code} onPick={onPick} onBack={() => setView({ kind: 'windows' })} />
      ) : view.kind === 'bundles' ? (
        <Bundles onPick={onPick} onBack={() => setView({ kind: 'windows' })} />
      ) : (
        <Windows
          onWindow={(code) => setView({ kind: 'window', code })}
          onBundles={() => setView({ kind: 'bundles' })}
        />
      )}
    </section>
  );
}

function Windows({ onWindow, onBundles }: { onWindow: (code: WindowCode) => void; onBundles: () => void }) {
  const { t } = useTranslation();
  const lang = useLanguage();
  const windows = useWindows();
  const bundles = useBundles();
  return (
    <section aria-labelledby="apply-windows-heading">
      <h3 id="apply-windows-heading" className="section-title">
        <Icon name="building" />
        {t('applyFlow.find.windows')}
      </h3>
      <QueryView query={windows}>
        {(list) => (
          <ul className="window-grid" data-testid="apply-windows">
            {list.map((w) => (
              <li key={w.code}>
                <button
                  type="button"
                  className="window-card"
                  data-window={w.code}
                  data-count={w.itemCount}
                  onClick={() => onWindow(w.code)}
                >
                  <span className="window-letter" aria-hidden="true">
                    {w.queuePrefix}
                  </span>
                  <span className="window-text">
                    <span className="window-name">{pick(w.name, lang)}</span>
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
                onClick={onBundles}
              >
                <span className="window-letter" aria-hidden="true">
                  <Icon name="bundle" />
                </span>
                <span className="window-text">
                  <span className="window-name">{t('applyFlow.find.bundles')}</span>
                  <span className="window-desc">{t('applyFlow.find.bundlesHint')}</span>
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

function BackToWindows({ onBack }: { onBack: () => void }) {
  const { t } = useTranslation();
  return (
    <button type="button" className="btn apply-subback" onClick={onBack}>
      <Icon name="back" />
      {t('applyFlow.find.backToWindows')}
    </button>
  );
}

function WindowItems({
  code,
  onPick,
  onBack,
}: {
  code: WindowCode;
  onPick: (target: ApplyTarget) => void;
  onBack: () => void;
}) {
  const { t } = useTranslation();
  const lang = useLanguage();
  const windows = useWindows();
  const items = useWindowItems(code);
  const win = windows.data?.find((w) => w.code === code);
  const title = win
    ? t('applyFlow.find.itemsOf', { name: pick(win.name, lang) })
    : t('applyFlow.find.windows');
  return (
    <section aria-labelledby="apply-items-heading">
      <h3 id="apply-items-heading" className="section-title">
        <Icon name="building" />
        {title}
      </h3>
      <BackToWindows onBack={onBack} />
      <QueryView query={items}>
        {(list) =>
          list.length === 0 ? (
            <p className="empty">{t('catalog.itemsEmpty')}</p>
          ) : (
            <ItemList items={list} label={title} onOpen={(c) => onPick({ kind: 'item', code: c })} />
          )
        }
      </QueryView>
    </section>
  );
}

function Bundles({ onPick, onBack }: { onPick: (target: ApplyTarget) => void; onBack: () => void }) {
  const { t } = useTranslation();
  const lang = useLanguage();
  const bundles = useBundles();
  return (
    <section aria-labelledby="apply-bundles-heading">
      <h3 id="apply-bundles-heading" className="section-title">
        <Icon name="bundle" />
        {t('applyFlow.find.bundles')}
      </h3>
      <BackToWindows onBack={onBack} />
      <QueryView query={bundles}>
        {(list) => (
          <ul className="bundle-list" data-testid="apply-bundles">
            {list.map((b) => (
              <li key={b.code}>
                <button
                  type="button"
                  className="item-row bundle-row"
                  data-bundle={b.code}
                  onClick={() => onPick({ kind: 'bundle', code: b.code })}
                >
                  <span className="item-main">
                    <span className="item-name">{pick(b.name, lang)}</span>
                    <span className="bundle-desc">{pick(b.description, lang)}</span>
                    <span className="item-meta">
                      <span className="badge badge-bundle">
                        <Icon name="bundle" />
                        {t('applyFlow.find.bundleItems', { count: b.items.length })}
                      </span>
                    </span>
                  </span>
                  <Icon name="next" className="chevron" />
                </button>
              </li>
            ))}
          </ul>
        )}
      </QueryView>
    </section>
  );
}

function Results({ query, onPick }: { query: string; onPick: (target: ApplyTarget) => void }) {
  const { t } = useTranslation();
  const lang = useLanguage();
  const windows = useWindows();
  const results = useCatalogSearch(query);
  return (
    <section aria-labelledby="apply-results-heading" data-testid="apply-results">
      <h3 id="apply-results-heading" className="section-title">
        <Icon name="search" />
        {t('search.heading')}
      </h3>
      <QueryView query={results}>
        {(list) => (
          <div aria-busy={results.isPlaceholderData}>
            <p className="result-count" role="status">
              {list.length > 0
                ? t('applyFlow.find.results', { count: list.length })
                : t('applyFlow.find.noResults', { query })}
            </p>
            {list.length > 0 && (
              <ItemList
                items={list}
                label={t('search.heading')}
                onOpen={(code) => onPick({ kind: 'item', code })}
                windowName={(code) => {
                  const w = windows.data?.find((x) => x.code === code);
                  return w && pick(w.name, lang);
                }}
              />
            )}
          </div>
        )}
      </QueryView>
    </section>
  );
}
