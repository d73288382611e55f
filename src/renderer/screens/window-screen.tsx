/** The service items of one comprehensive window. */
import { useTranslation } from 'react-i18next';
import type { WindowCode } from '../../shared/browser.js';
import { useWindowItems, useWindows } from '../api/index.js';
import { ItemList } from '../components/item-list.js';
import { QueryView } from '../components/query-view.js';
import { useLanguage } from '../hooks/use-language.js';
import { pick } from '../i18n/localized.js';

export function WindowScreen({ code, onOpenItem }: { code: WindowCode; onOpenItem: (code: string) => void }) {
  const { t } = useTranslation();
  const lang = useLanguage();
  const windows = useWindows();
  const items = useWindowItems(code);
  const win = windows.data?.find((w) => w.code === code);
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
      <QueryView query={items}>
        {(list) =>
          list.length === 0 ? (
            <p className="empty">{t('catalog.itemsEmpty')}</p>
          ) : (
            <>
              <p className="result-count">{t('catalog.itemCount', { count: list.length })}</p>
              <ItemList
                items={list}
                label={win ? pick(win.name, lang) : t('catalog.windowsHeading')}
                onOpen={onOpenItem}
              />
            </>
          )
        }
      </QueryView>
    </div>
  );
}
