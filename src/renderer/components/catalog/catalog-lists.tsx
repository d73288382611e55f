/**
 * The lists of the catalog, each with the action per row passed in: the windows (and the 一件事
 * tile), one window's items, the bundles, and search results. 办事指南 opens a guide from a row,
 * 我要办事 picks the item to apply for; the rows are the same.
 */
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { WindowCode } from '../../../shared/browser.js';
import { useBundles, useCatalogSearch, useWindowItems, useWindows } from '../../api/index.js';
import { useLanguage } from '../../hooks/use-language.js';
import { pick } from '../../i18n/localized.js';
import { ELDERLY_WINDOWS_PER_PAGE, pageOf, useDisplayMode } from '../../lib/display-mode.js';
import { Icon } from '../icon.js';
import { ItemList } from '../item-list.js';
import { LoadingPanel, QueryErrorPanel, QueryView } from '../query-view.js';
import { WindowTile } from './window-tile.js';

/**
 * The windows with their item counts, then the 一件事 bundles. In 长辈模式 fewer choices a screen:
 * three big tiles a page, one column, with 上一页 / 下一页 and "第 1 页，共 2 页" under them.
 */
export function WindowGrid({
  onWindow,
  onBundles,
}: {
  onWindow: (code: WindowCode) => void;
  onBundles: () => void;
}) {
  const { t } = useTranslation();
  const lang = useLanguage();
  const windows = useWindows();
  const bundles = useBundles();
  const { elderly } = useDisplayMode();
  const [page, setPage] = useState(0);
  return (
    <QueryView query={windows}>
      {(list) => {
        const tiles: ReactNode[] = list.map((w) => (
          <li key={w.code}>
            <WindowTile
              letter={w.queuePrefix}
              name={pick(w.name, lang)}
              description={pick(w.description, lang)}
              data-window={w.code}
              data-count={w.itemCount}
              onClick={() => onWindow(w.code)}
            >
              <span className="window-count">{t('catalog.itemCount', { count: w.itemCount })}</span>
            </WindowTile>
          </li>
        ));
        tiles.push(
          <li key="bundles">
            <WindowTile
              variant="window-card-bundle"
              letter={<Icon name="bundle" />}
              name={t('catalog.bundles')}
              description={t('catalog.bundlesDescription')}
              data-window="bundles"
              onClick={onBundles}
            >
              {bundles.data && (
                <span className="window-count">
                  {t('catalog.bundleCount', { count: bundles.data.length })}
                </span>
              )}
            </WindowTile>
          </li>,
        );
        const shown = pageOf(tiles, elderly ? page : 0, elderly ? ELDERLY_WINDOWS_PER_PAGE : tiles.length);
        return (
          <>
            <ul
              className="window-grid"
              data-testid="window-list"
              data-page={shown.page + 1}
              data-pages={shown.pages}
            >
              {shown.items}
            </ul>
            {shown.pages > 1 && (
              <nav className="window-pager" aria-label={t('catalog.windowsHeading')}>
                <button
                  type="button"
                  className="btn"
                  data-testid="windows-prev"
                  disabled={shown.page === 0}
                  onClick={() => setPage(shown.page - 1)}
                >
                  <Icon name="up" />
                  {t('catalog.prevWindows')}
                </button>
                <p className="window-pager-of" aria-live="polite">
                  {t('catalog.windowsPage', { page: shown.page + 1, pages: shown.pages })}
                </p>
                <button
                  type="button"
                  className="btn"
                  data-testid="windows-next"
                  disabled={shown.page === shown.pages - 1}
                  onClick={() => setPage(shown.page + 1)}
                >
                  {t('catalog.nextWindows')}
                  <Icon name="down" />
                </button>
              </nav>
            )}
          </>
        );
      }}
    </QueryView>
  );
}

/** One window's items, counted. */
export function WindowItems({
  code,
  label,
  onItem,
}: {
  code: WindowCode;
  label: string;
  onItem: (code: string) => void;
}) {
  const { t } = useTranslation();
  const items = useWindowItems(code);
  return (
    <QueryView query={items}>
      {(list) =>
        list.length === 0 ? (
          <p className="empty">{t('catalog.itemsEmpty')}</p>
        ) : (
          <>
            <p className="result-count">{t('catalog.itemCount', { count: list.length })}</p>
            <ItemList items={list} label={label} onOpen={onItem} />
          </>
        )
      }
    </QueryView>
  );
}

/** The 一件事 bundles: name, what it is, how many items, which window. */
export function BundleRows({ onBundle }: { onBundle: (code: string) => void }) {
  const { t } = useTranslation();
  const lang = useLanguage();
  const bundles = useBundles();
  const windows = useWindows();
  const windowName = (code: string) => {
    const w = windows.data?.find((x) => x.code === code);
    return w ? pick(w.name, lang) : '';
  };
  return (
    <QueryView query={bundles}>
      {(list) =>
        list.length === 0 ? (
          <p className="empty">{t('catalog.bundlesEmpty')}</p>
        ) : (
          <ul className="bundle-list" data-testid="bundle-list">
            {list.map((b) => (
              <li key={b.code}>
                <button
                  type="button"
                  className="item-row bundle-row"
                  data-bundle={b.code}
                  onClick={() => onBundle(b.code)}
                >
                  <span className="item-main">
                    <span className="item-name">{pick(b.name, lang)}</span>
                    <span className="bundle-desc">{pick(b.description, lang)}</span>
                    <span className="item-meta">
                      <span className="badge badge-bundle">
                        <Icon name="bundle" />
                        {t('catalog.bundleMembers', { count: b.items.length })}
                      </span>
                      {windowName(b.window) && (
                        <span className="promise">{t('bundle.window', { name: windowName(b.window) })}</span>
                      )}
                    </span>
                  </span>
                  <Icon name="next" className="chevron" />
                </button>
              </li>
            ))}
          </ul>
        )
      }
    </QueryView>
  );
}

/** Items found for a query (Chinese, English or pinyin initials), with the window of each. */
export function SearchResults({ query, onItem }: { query: string; onItem: (code: string) => void }) {
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
          <QueryErrorPanel onRetry={() => void results.refetch()} />
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
              onOpen={onItem}
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
