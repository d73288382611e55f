/**
 * The lists of the catalog, each with the action per row passed in: the windows (and the 一件事
 * tile), one window's items, the bundles, and search results. 办事指南 opens a guide from a row,
 * 我要办事 picks the item to apply for; the rows are the same.
 */
import { useTranslation } from 'react-i18next';
import type { WindowCode } from '../../../shared/browser.js';
import { useBundles, useCatalogSearch, useWindowItems, useWindows } from '../../api/index.js';
import { useLanguage } from '../../hooks/use-language.js';
import { pick } from '../../i18n/localized.js';
import { Icon } from '../icon.js';
import { ItemList } from '../item-list.js';
import { LoadingPanel, QueryErrorPanel, QueryView } from '../query-view.js';
import { WindowTile } from './window-tile.js';

/** The windows with their item counts, then the 一件事 bundles. */
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
  return (
    <QueryView query={windows}>
      {(list) => (
        <ul className="window-grid" data-testid="window-list">
          {list.map((w) => (
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
          ))}
          <li>
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
          </li>
        </ul>
      )}
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
