/** 一件事套餐: bundles of items across departments, applied for with one form (the catalog browser's list). */
import { useTranslation } from 'react-i18next';
import { BundleRows } from '../components/catalog/catalog-lists.js';

export function BundlesScreen({ onOpenBundle }: { onOpenBundle: (code: string) => void }) {
  const { t } = useTranslation();
  return (
    <div className="bundles-screen">
      <header className="screen-head">
        <p className="screen-kicker">{t('catalog.heading')}</p>
        <h2 className="screen-title">{t('catalog.bundles')}</h2>
        <p className="screen-intro">{t('catalog.bundlesDescription')}</p>
      </header>
      <BundleRows onBundle={onOpenBundle} />
    </div>
  );
}
