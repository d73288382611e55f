/**
 * 办事指南: the shared catalog browser (windows with their item counts, the 一件事 bundles, search
 * as you type by Chinese, English or pinyin initials), each row opening its guide. The query lives
 * in the route, so 上一步 from a guide comes back to the same results; a window and the bundles are
 * screens of their own (window-screen, bundles-screen).
 * The kiosk has no keyboard: tapping the search field opens the on-screen keyboard (pinyin first,
 * then letters for initials such as "sb"); 完成 puts it away so the results have room.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CatalogBrowser, type CatalogView } from '../components/catalog/catalog-browser.js';
import type { Route } from '../lib/navigation.js';

const WINDOWS: CatalogView = { kind: 'windows' };

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
  const [text, setText] = useState(query);
  const [keyboard, setKeyboard] = useState(false);
  return (
    <div className="catalog">
      <header className="screen-head">
        <h2 className="screen-title">{t('catalog.heading')}</h2>
        <p className="screen-intro">{t('catalog.intro')}</p>
      </header>
      <CatalogBrowser
        text={text}
        onText={setText}
        query={query}
        onQuery={onQuery}
        keyboard={keyboard}
        onKeyboard={setKeyboard}
        view={WINDOWS}
        onView={(view) => {
          if (view.kind === 'window') onOpen({ name: 'window', code: view.code });
          else if (view.kind === 'bundles') onOpen({ name: 'bundles' });
        }}
        onItem={(code) => onOpen({ name: 'item', code })}
        onBundle={(code) => onOpen({ name: 'bundle', code })}
      />
    </div>
  );
}
