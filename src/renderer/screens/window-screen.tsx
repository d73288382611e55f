/** The service items of one comprehensive window (the catalog browser's list, as a screen of its own). */
import { useTranslation } from 'react-i18next';
import type { WindowCode } from '../../shared/browser.js';
import { useWindows } from '../api/index.js';
import { WindowItems } from '../components/catalog/catalog-lists.js';
import { useLanguage } from '../hooks/use-language.js';
import { pick } from '../i18n/localized.js';

export function WindowScreen({ code, onOpenItem }: { code: WindowCode; onOpenItem: (code: string) => void }) {
  const { t } = useTranslation();
  const lang = useLanguage();
  const win = useWindows().data?.find((w) => w.code === code);
  return (
    <div className="window-screen">
      <header className="screen-head">
        <p className="screen-kicker">{t('catalog.heading')}</p>
        <h2 className="screen-title">
          {win && (
            <span className="window-letter window-letter-inline" aria-hidden="true">
              {win.queuePrefix}
            </span>
          )}
          {win ? pick(win.name, lang) : t('catalog.windowsHeading')}
        </h2>
        {win && <p className="screen-intro">{pick(win.description, lang)}</p>}
      </header>
      <WindowItems
        code={code}
        label={win ? pick(win.name, lang) : t('catalog.windowsHeading')}
        onItem={onOpenItem}
      />
    </div>
  );
}
