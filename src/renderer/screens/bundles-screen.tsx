/** 一件事套餐: bundles of items across departments, applied for with one form. */
import { useTranslation } from 'react-i18next';
import { useBundles, useWindows } from '../api/index.js';
import { Icon } from '../components/icon.js';
import { QueryView } from '../components/query-view.js';
import { useLanguage } from '../hooks/use-language.js';
import { pick } from '../i18n/localized.js';

export function BundlesScreen({ onOpenBundle }: { onOpenBundle: (code: string) => void }) {
  const { t } = useTranslation();
  const lang = useLanguage();
  const bundles = useBundles();
  const windows = useWindows();
  const windowName = (code: string) => {
    const w = windows.data?.find((x) => x.code === code);
    return w ? pick(w.name, lang) : '';
  };
  return (
    <div className="bundles-screen">
      <header className="screen-head">
        <p className="screen-kicker">{t('catalog.heading')}</p>
        <h2 className="screen-title">{t('catalog.bundles')}</h2>
        <p className="screen-intro">{t('catalog.bundlesDescription')}</p>
      </header>
      <QueryView query={bundles}>
        {(list) =>
          list.length === 0 ? (
            <p className="empty">{t('catalog.bundlesEmpty')}</p>
          ) : (
            <ul className="bundle-list" data-testid="bundle-list">
              {list.map((b) => (
                <li key={b.code}>
                  <button type="button" className="item-row bundle-row" onClick={() => onOpenBundle(b.code)}>
                    <span className="item-main">
                      <span className="item-name">{pick(b.name, lang)}</span>
                      <span className="bundle-desc">{pick(b.description, lang)}</span>
                      <span className="item-meta">
                        <span className="badge badge-bundle">
                          <Icon name="bundle" />
                          {t('catalog.bundleMembers', { count: b.items.length })}
                        </span>
                        {windowName(b.window) && (
                          <span className="promise">
                            {t('bundle.window', { name: windowName(b.window) })}
                          </span>
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
    </div>
  );
}
