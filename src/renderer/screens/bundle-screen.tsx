/** One 一件事 bundle: what it is, where it is handled, and its member items (each opens its guide). */
import { useTranslation } from 'react-i18next';
import { useBundle, useWindows } from '../api/index.js';
import { Icon } from '../components/icon.js';
import { ApplyOnline } from './guide-screen.js';
import { ItemList } from '../components/item-list.js';
import { ResultView } from '../components/query-view.js';
import { useLanguage } from '../hooks/use-language.js';
import { pick } from '../i18n/localized.js';

export function BundleScreen({
  code,
  onOpenItem,
  onApply,
}: {
  code: string;
  onOpenItem: (code: string) => void;
  onApply?: () => void;
}) {
  const { t } = useTranslation();
  const lang = useLanguage();
  const detail = useBundle(code);
  const windows = useWindows();
  return (
    <ResultView query={detail}>
      {({ bundle, items }) => {
        const win = windows.data?.find((w) => w.code === bundle.window);
        return (
          <div className="bundle-screen">
            <header className="screen-head">
              <p className="screen-kicker">{t('bundle.heading')}</p>
              <h2 className="screen-title">{pick(bundle.name, lang)}</h2>
              <p className="screen-intro">{pick(bundle.description, lang)}</p>
              {win && (
                <p className="screen-fact">
                  <Icon name="building" />
                  {t('bundle.window', { name: pick(win.name, lang) })}
                </p>
              )}
              {onApply && <ApplyOnline onApply={onApply} />}
            </header>
            <section aria-labelledby="bundle-items-heading">
              <h3 id="bundle-items-heading" className="section-title">
                <Icon name="bundle" />
                {t('bundle.items')}
              </h3>
              <p className="result-count">{t('catalog.bundleMembers', { count: items.length })}</p>
              <ItemList items={items} label={t('bundle.items')} onOpen={onOpenItem} />
            </section>
          </div>
        );
      }}
    </ResultView>
  );
}
